// Parse errors (queryfilter.md §7): one class carrying both the words for people and the upstream
// exception it stands for, so a caller can show either and know the HTTP status the server gives.

export type UpstreamKind = 'IllegalArgumentException' | 'NumberFormatException' | 'JsonException';

export class FilterError extends Error {
  readonly code: string;
  readonly upstreamMessage: string;
  readonly upstreamKind: UpstreamKind;
  /** §7: HttpAdapter maps IAE (and its subclass NFE) to 400; JsonException escapes to a 500. */
  readonly httpStatus: 400 | 500;
  readonly start: number;
  readonly end: number;

  /**
   * Builds the error without capturing a stack trace: a parse error is data for the caller, and the
   * capture costs more than the whole parse (bench/queryfilter.ts, "conformance, all").
   */
  static create(
    code: string,
    message: string,
    upstreamKind: UpstreamKind,
    upstreamMessage: string,
    start: number,
    end: number,
  ): FilterError {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new FilterError(code, message, upstreamKind, upstreamMessage, start, end);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  constructor(
    code: string,
    message: string,
    upstreamKind: UpstreamKind,
    upstreamMessage: string,
    start: number,
    end: number,
  ) {
    super(message);
    this.name = 'FilterError';
    this.code = code;
    this.upstreamKind = upstreamKind;
    this.upstreamMessage = upstreamMessage;
    this.httpStatus = upstreamKind === 'JsonException' ? 500 : 400;
    this.start = start;
    this.end = end;
  }

  toJSON(): {
    code: string;
    message: string;
    upstreamMessage: string;
    upstreamKind: UpstreamKind;
    httpStatus: 400 | 500;
    start: number;
    end: number;
  } {
    return {
      code: this.code,
      message: this.message,
      upstreamMessage: this.upstreamMessage,
      upstreamKind: this.upstreamKind,
      httpStatus: this.httpStatus,
      start: this.start,
      end: this.end,
    };
  }
}

/** Stable error codes; docs/queryfilter.md lists each with its meaning. */
export const ErrorCode = {
  empty: 'empty-filter',
  missingExpression: 'missing-expression',
  missingOperator: 'missing-operator',
  missingValue: 'missing-value',
  unterminatedString: 'unterminated-string',
  missingCloseParen: 'missing-close-paren',
  unexpectedToken: 'unexpected-token',
  unmatchedCloseParen: 'unmatched-close-paren',
  quotedPointer: 'quoted-pointer',
  invalidOperator: 'invalid-operator',
  escapeAtEnd: 'escape-at-end',
  tooDeep: 'too-deep',
  invalidValue: 'invalid-value',
  nullValue: 'null-value',
  notKeyword: 'not-keyword',
  integerOutOfRange: 'integer-out-of-range',
  exponentWithoutPoint: 'exponent-without-point',
  invalidNumber: 'invalid-number',
  nonSpaceSeparator: 'non-space-separator',
  illegalPointerCharacter: 'illegal-pointer-character',
  malformedPercentEscape: 'malformed-percent-escape',
  macroInPointer: 'macro-in-pointer',
  notText: 'not-a-string',
  internal: 'internal-error',
} as const;
