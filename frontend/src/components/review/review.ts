// Pure helpers of the review UI (审核): reading a batch's workflow trail,
// placing a reviewer's row comments on the grid, and the rules the dialogs
// check before they call the backend (which checks them again).
import type { GridField, GridIssue, GridRow } from '../grid/types'
import type { Issue, ReviewStep, RowComment } from '../../api/backend'

/** Mirrors batch.MinReturnComment: a return's reason, in characters. */
export const MIN_RETURN_COMMENT = 4
/** A submission's 说明 when warnings are confirmed: "无" explains nothing, "已核实" does. */
export const MIN_SUBMIT_NOTE = 2

/** Characters as people count them (a Chinese character is one, not one UTF-16 unit). */
export function charCount(s: string): number {
  return [...s.trim()].length
}

/** The statuses from which the clerk may submit (batch.steps[Submit].from). */
export function canSubmitFrom(status: string | undefined): boolean {
  return status === 'draft' || status === 'returned'
}

/** The newest step of an action in a trail (oldest first), or undefined. */
export function lastStep(trail: ReviewStep[], action: string): ReviewStep | undefined {
  for (let i = trail.length - 1; i >= 0; i--) if (trail[i].action === action) return trail[i]
  return undefined
}

/**
 * The return the clerk has to act on: the last step of the trail when it
 * is a return (a batch resubmitted since has dealt with it).
 */
export function openReturn(trail: ReviewStep[], status: string | undefined): ReviewStep | undefined {
  if (status !== 'returned') return undefined
  const last = trail[trail.length - 1]
  return last?.action === 'return' ? last : undefined
}

/** Whole days between a moment and now (0 on the same day, never negative). */
export function ageDays(at: unknown, now: Date = new Date()): number {
  const t = new Date(String(at)).getTime()
  if (Number.isNaN(t)) return 0
  return Math.max(0, Math.floor((now.getTime() - t) / 86_400_000))
}

/** A row comment placed in the roster: its 1-based row number (0: the row is gone) and field label. */
export interface PlacedComment extends RowComment {
  row: number
  fieldLabel: string
}

/** Row comments in roster order, each with the row number and field label the clerk sees. */
export function placeComments(comments: RowComment[], rows: GridRow[], fields: GridField[]): PlacedComment[] {
  const pos = new Map(rows.map((r, i) => [r.id, i + 1]))
  const label = new Map(fields.map((f) => [f.code, f.label]))
  return comments
    .map((c) => ({ ...c, row: pos.get(c.rowId) ?? 0, fieldLabel: c.field ? (label.get(c.field) ?? c.field) : '' }))
    .sort((a, b) => (a.row || Infinity) - (b.row || Infinity))
}

/** The code of the grid issues that carry a reviewer's comment (not a validation finding). */
export const REVIEW_NOTE = 'review_comment'

/**
 * Puts row comments on the grid rows as issues (the grid marks the cell,
 * or the row's status for a whole-row comment, and shows the text as a
 * tooltip and in its info bar), replacing the notes put there before.
 * Changed rows get a new issues array so the grid re-renders them.
 * prefix is the label before each comment (审核意见); code tells one
 * kind of note from another (the platform's refusals use their own), so
 * each kind is replaced on its own.
 */
export function applyNotes(rows: GridRow[], comments: RowComment[], prefix: string, code: string = REVIEW_NOTE): void {
  const byRow = new Map<number, GridIssue[]>()
  for (const c of comments) {
    let list = byRow.get(c.rowId)
    if (!list) byRow.set(c.rowId, (list = []))
    list.push({ field: c.field, code, severity: 'warning', message: `${prefix}：${c.comment}` })
  }
  for (const r of rows) {
    const notes = byRow.get(r.id)
    const had = r.issues.some((i) => i.code === code)
    if (!notes && !had) continue
    r.issues = r.issues.filter((i) => i.code !== code).concat(notes ?? [])
  }
}

/** A validation finding as the submit dialog and the error list show it. */
export interface ListedIssue {
  rowId: number
  row: number // 1-based; 0 when the finding is about no single row
  field: string
  fieldLabel: string
  severity: 'error' | 'warning'
  message: string
}

export function listIssues(issues: Issue[], rows: GridRow[], fields: GridField[], gridId: (id: number) => number = (id) => id): ListedIssue[] {
  const pos = new Map(rows.map((r, i) => [r.id, i + 1]))
  const label = new Map(fields.map((f) => [f.code, f.label]))
  return issues.map((is) => {
    const rowId = gridId(is.rowId)
    return {
      rowId,
      row: pos.get(rowId) ?? 0,
      field: is.field,
      fieldLabel: label.get(is.field) ?? '',
      severity: is.severity === 'error' ? 'error' : 'warning',
      message: is.message,
    }
  })
}

/** One entry of a list that jumps to a cell (IssueList). */
export interface JumpItem {
  rowId: number
  row: number // 1-based; 0: no row (whole batch) or a row that is gone
  field: string
  fieldLabel: string
  text: string
  severity?: 'error' | 'warning' | 'note'
}

/** What DataGrid exposes that a jump needs (its select takes a position in the shown rows). */
export interface Selectable {
  select: (pos: number, col: number) => void
}

/**
 * Moves the grid's selection to a row and field and gives it the keyboard.
 * The position is the row's place in the whole roster, which is where the
 * grid shows it unless its search or filter hides rows.
 */
export function jumpToCell(grid: Selectable | null | undefined, host: HTMLElement | null | undefined, rows: GridRow[], fields: GridField[], rowId: number, field: string): boolean {
  const pos = rows.findIndex((r) => r.id === rowId)
  if (pos < 0 || !grid) return false
  grid.select(pos, Math.max(0, fields.findIndex((f) => f.code === field)))
  host?.querySelector<HTMLInputElement>('[data-testid="grid-editor"]')?.focus({ preventScroll: true })
  return true
}
