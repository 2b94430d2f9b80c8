declare const __SCANJOBS_VERSION__: string | undefined;

/** The product version: injected by the bundler, read from package.json when run from source. */
export const VERSION: string =
  typeof __SCANJOBS_VERSION__ === 'string'
    ? __SCANJOBS_VERSION__
    : // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('../../package.json') as { version: string }).version;
