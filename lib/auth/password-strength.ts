import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";
import { Invalid } from "@/lib/errors";

const MIN_LENGTH = 12;
const MAX_LENGTH = 256;
/** zxcvbn's score from 0 to 4: 3 is "safely unguessable: moderate protection from offline attacks". */
const MIN_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

/**
 * Refuses a password people or crackers guess easily: shorter than 12 characters, or scored below
 * 3 by zxcvbn (common passwords, words, keyboard runs, dates), counting the user's own email and
 * name as words an attacker would try first.
 */
export function checkPasswordStrength(password: unknown, userInputs: string[] = []): string {
  if (typeof password !== "string" || password.length === 0) {
    throw new Invalid("Choose a password.", "password");
  }
  if (password.length < MIN_LENGTH) {
    throw new Invalid(`A password needs at least ${MIN_LENGTH} characters.`, "password");
  }
  if (password.length > MAX_LENGTH) {
    throw new Invalid(`A password can be at most ${MAX_LENGTH} characters.`, "password");
  }
  factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  const result = factory.check(password, userInputs);
  if (result.score < MIN_SCORE) {
    throw new Invalid(
      "That password is too easy to guess. Try a few unrelated words, or let a password manager make one.",
      "password",
    );
  }
  return password;
}
