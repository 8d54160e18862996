// Errors from Go arrive as the rejected value of a binding call. The backend
// serialises them as {"code","message"} (app/errors.go); codes match
// backend/apperr and the errors.* keys of the i18n files.
export interface AppError {
  code: string
  message: string
}

export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e
  const text = e instanceof Error ? e.message : String(e)
  try {
    const parsed: unknown = JSON.parse(text)
    if (isAppError(parsed)) return parsed
  } catch {
    // not JSON: a transport or runtime failure, not a backend refusal
  }
  return { code: 'internal', message: text }
}

function isAppError(v: unknown): v is AppError {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as AppError).code === 'string' &&
    typeof (v as AppError).message === 'string'
  )
}
