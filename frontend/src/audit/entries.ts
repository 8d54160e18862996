// What the 审计 page needs to read audit log entries: action labels,
// short fingerprints and before/after as people read them. The actions
// are backend/audit/actions.go's (and the workflow's batch.<step>).

/** Actions the backend records, in the order the filter lists them. */
export const knownActions = [
  'login',
  'login.refused',
  'logout',
  'session.lock',
  'session.unlock',
  'session.unlock.refused',
  'refused',
  'batch.save',
  'batch.import',
  'batch.export',
  'batch.reveal',
  'batch.submit',
  'batch.approve',
  'batch.return',
  'batch.correct',
  'batch.reason',
  'batch.queue',
  'batch.accept',
  'batch.reject',
  'period.exception',
  'setting.change',
  'org.create',
  'user.enrol',
  'user.create',
  'user.roles',
  'user.disable',
  'user.password',
  'audit.export',
  'audit.refusals_copied',
] as const

/** Prefixes that select a group of actions (the filter matches prefixes). */
export const actionGroups = ['login', 'session.', 'batch.', 'user.'] as const

/** The i18n key of an action's label: dots become underscores, as keys nest on dots. */
export function actionKey(action: string): string {
  return `audit.actions.${action.replace(/\./g, '_')}`
}

/** The i18n key of a group's label. */
export function groupKey(prefix: string): string {
  return `audit.groups.${prefix.replace(/\.$/, '').replace(/\./g, '_')}`
}

/** The first 8 and last 4 hex digits of a certificate fingerprint; '' stays ''. */
export function shortFingerprint(fp: string): string {
  return fp.length > 16 ? `${fp.slice(0, 8)}…${fp.slice(-4)}` : fp
}

/** Before/after JSON indented for reading; text that is not JSON is shown as it is. */
export function prettyJSON(s: string): string {
  if (!s) return ''
  try {
    return JSON.stringify(JSON.parse(s), null, 2)
  } catch {
    return s
  }
}

/** A one-line summary of before → after for the table, cut to max characters. */
export function changeSummary(before: string, after: string, max = 80): string {
  const one = (s: string) => s.replace(/\s+/g, ' ')
  const text = before && after ? `${one(before)} → ${one(after)}` : one(before || after)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
