// Pure helpers of the correction UI (更正): which batches may be corrected,
// how a change is keyed and saved, and how a stored cell reads on screen.
// The backend (backend/batch/correction.go) checks the same rules again.
import type { Batch, ChangeKind, CorrectionReason, Field, RowChange } from '../../api/backend'

/** Mirrors batch.correctable: only what left the clerk's hands is corrected; a draft is simply edited. */
export const CORRECTABLE_STATUSES: readonly string[] = ['approved', 'queued', 'accepted', 'rejected']

/** Mirrors batch.MaxReason (a reason) and Correct's limit on the 整改 reference. */
export const MAX_REASON = 500
export const MAX_RECTIFICATION = 100

export function canCorrect(b: Pick<Batch, 'status' | 'supersededBy'> | null | undefined): boolean {
  return !!b && !b.supersededBy && CORRECTABLE_STATUSES.includes(b.status)
}

/** A closed period (after 1 April of the next year): a correction needs the 整改 reference. */
export function periodClosed(b: Pick<Batch, 'periodStatus'> | null | undefined): boolean {
  return b?.periodStatus === 'closed'
}

export function kindOf(c: Pick<RowChange, 'kind'>): ChangeKind {
  return c.kind === 'added' || c.kind === 'removed' ? c.kind : 'changed'
}

/**
 * A change's identity across reloads: the correction's row for a changed
 * or added row, the replaced version's row for a removed one.
 */
export function changeKey(c: Pick<RowChange, 'kind' | 'rowId' | 'origin'>): string {
  return kindOf(c) === 'removed' ? `o${c.origin}` : `r${c.rowId}`
}

/** What SetReason needs for a change: rowId, or (removed rows) origin alone. */
export function reasonTarget(c: Pick<RowChange, 'kind' | 'rowId' | 'origin'>, text: string): CorrectionReason {
  return kindOf(c) === 'removed' ? { rowId: 0, origin: c.origin, text } : { rowId: c.rowId, origin: 0, text }
}

/** Characters as people count them (a Chinese character is one). */
export function charCount(s: string): number {
  return [...s.trim()].length
}

export interface CellLabels {
  /** "附件 {n} 个" */
  attachments: (n: number) => string
}

/**
 * A stored cell as the clerk reads it: an enum's label instead of its code,
 * an attachment cell as a count instead of hashes. Masked values (身份证号,
 * 账号) arrive masked and are shown as given.
 */
export function cellText(field: Pick<Field, 'type' | 'values'> | undefined, value: string | undefined, labels: CellLabels): string {
  const v = value ?? ''
  if (v === '' || !field) return v
  if (field.type === 'enum') return field.values?.find((o) => o.code === v.trim())?.label ?? v
  if (field.type === 'attachment') {
    const n = v.split(';').filter((p) => p.trim() !== '').length
    return n ? labels.attachments(n) : ''
  }
  return v
}
