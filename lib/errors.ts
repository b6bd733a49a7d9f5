/** Expected failures of the domain. Actions turn them into messages, REST into `{errors:[…]}`. */
export type DomainErrorCode =
  | "INVALID"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "LIMIT_REACHED"
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "BUSY";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The field or parameter the error is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export class Invalid extends DomainError {
  constructor(message: string, field?: string) {
    super("INVALID", message, field);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = "Authentication required.") {
    super("UNAUTHORIZED", message);
  }
}

export class Forbidden extends DomainError {
  constructor(message = "You do not have permission to do this.") {
    super("FORBIDDEN", message);
  }
}

export class NotFound extends DomainError {
  constructor(message = "Not found.") {
    super("NOT_FOUND", message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super("CONFLICT", message);
  }
}

export class LimitReached extends DomainError {
  constructor(message: string) {
    super("LIMIT_REACHED", message);
  }
}

/** Too many attempts in the window: nothing was checked or changed; `waitMs` until the next may go. */
export class TooManyRequests extends DomainError {
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super("RATE_LIMITED", message);
  }
}

/** The database stayed busy through every retry: nothing changed, and trying again will do. */
export class Busy extends DomainError {
  constructor(message = "Keyward is busy; nothing was changed. Try again in a moment.") {
    super("BUSY", message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
