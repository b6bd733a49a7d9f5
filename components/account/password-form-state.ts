/** What a password form's action answers: a refusal (about one field, when it is), or success. */
export interface PasswordFormState {
  error?: string;
  field?: string;
  done?: string;
}
