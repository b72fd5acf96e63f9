/**
 * Every way setting up or resuming a study can fail, as values: a bad search space, a
 * journal that cannot be read or written, or one that belongs to another study.
 * `createStudy` and `Study.optimize` return these inside fp-ts `Either`/`TaskEither`;
 * a failing objective is not an error of the study (its trial is marked `failed`).
 * @example const e: TuneError = { _tag: 'EmptyChoice', param: 'optimizer' };
 */
export type TuneError =
  | {
      readonly _tag: 'EmptyRange';
      readonly param: string;
      readonly lo: number;
      readonly hi: number;
    }
  | {
      readonly _tag: 'NonFiniteBound';
      readonly param: string;
      readonly lo: number;
      readonly hi: number;
    }
  | { readonly _tag: 'LogRangeNotPositive'; readonly param: string; readonly lo: number }
  | {
      readonly _tag: 'NotAnInteger';
      readonly param: string;
      readonly lo: number;
      readonly hi: number;
    }
  | { readonly _tag: 'EmptyChoice'; readonly param: string }
  | { readonly _tag: 'DuplicateChoice'; readonly param: string; readonly value: string }
  | { readonly _tag: 'UnknownParent'; readonly param: string; readonly parent: string }
  | {
      readonly _tag: 'BadCondition';
      readonly param: string;
      readonly parent: string;
      readonly reason: string;
    }
  | { readonly _tag: 'EmptySpace' }
  | { readonly _tag: 'InvalidOption'; readonly option: string; readonly reason: string }
  | { readonly _tag: 'ReadFailed'; readonly path: string; readonly message: string }
  | { readonly _tag: 'WriteFailed'; readonly path: string; readonly message: string }
  | {
      readonly _tag: 'CorruptJournal';
      readonly path: string;
      readonly line: number;
      readonly reason: string;
    }
  | {
      readonly _tag: 'StudyMismatch';
      readonly path: string;
      readonly what: string;
      readonly journal: string;
      readonly given: string;
    };

/** The tag of every {@link TuneError} variant. @example const t: TuneErrorTag = 'EmptyRange'; */
export type TuneErrorTag = TuneError['_tag'];

const where = (path: string): string => (path === '' ? '<memory>' : path);

/**
 * A one-line, human-readable message for a {@link TuneError}.
 * @example
 * formatTuneError({ _tag: 'EmptyChoice', param: 'act' }); // "EmptyChoice: act: choice() needs at least one value"
 */
export function formatTuneError(e: TuneError): string {
  const msg = ((): string => {
    switch (e._tag) {
      case 'EmptyRange':
        return `${e.param}: empty range, lo ${e.lo} > hi ${e.hi}`;
      case 'NonFiniteBound':
        return `${e.param}: bounds must be finite numbers, got [${e.lo}, ${e.hi}]`;
      case 'LogRangeNotPositive':
        return `${e.param}: a log-scale range must be above 0, got lo ${e.lo}`;
      case 'NotAnInteger':
        return `${e.param}: int() bounds must be integers, got [${e.lo}, ${e.hi}]`;
      case 'EmptyChoice':
        return `${e.param}: choice() needs at least one value`;
      case 'DuplicateChoice':
        return `${e.param}: choice() lists ${e.value} twice`;
      case 'UnknownParent':
        return `${e.param}: depends on '${e.parent}', which is not a parameter of the space`;
      case 'BadCondition':
        return `${e.param}: condition on '${e.parent}': ${e.reason}`;
      case 'EmptySpace':
        return 'the search space has no parameters';
      case 'InvalidOption':
        return `${e.option}: ${e.reason}`;
      case 'ReadFailed':
        return `${where(e.path)}: cannot read: ${e.message}`;
      case 'WriteFailed':
        return `${where(e.path)}: cannot write: ${e.message}`;
      case 'CorruptJournal':
        return `${where(e.path)}:${e.line}: not a journal record: ${e.reason}`;
      case 'StudyMismatch':
        return `${where(e.path)}: the journal holds another study: its ${e.what} is ${e.journal}, not ${e.given}`;
    }
  })();
  return `${e._tag}: ${msg}`;
}

/**
 * A {@link TuneError} as a thrown `Error`, for scripts that would rather crash.
 * @example pipe(result, E.getOrElseW((e) => { throw tuneErrorToError(e); }));
 */
export function tuneErrorToError(e: TuneError): Error & { readonly tuneError: TuneError } {
  return Object.assign(new Error(formatTuneError(e)), { name: 'TuneError', tuneError: e });
}
