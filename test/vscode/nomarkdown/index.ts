import { runFolder } from '../mocha-entry';

export function run(): Promise<void> {
  return runFolder(__dirname);
}
