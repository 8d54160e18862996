// The rows the platform refused (SyncService.RowIssues) placed on the
// batch page's rows: the row number the clerk sees, the field's label,
// and the notes the grid marks (as it marks a reviewer's row comments).
import type { GridField, GridRow } from '../grid/types'
import type { PlatformRowIssue, RowComment } from '../../api/backend'

/** The code of the grid issues that carry the platform's reason. */
export const PLATFORM_NOTE = 'platform_rejected'

export interface PlacedPlatformIssue {
  /** The row's id in the grid (0: not in this version). */
  rowId: number
  /** 1-based position in the grid; 0 when the row is not there. */
  row: number
  /** The platform's own 1-based row number. */
  rowNo: number
  field: string
  /** The field's label; '' for the whole row. */
  fieldLabel: string
  message: string
}

/** Issues in roster order, each with where the clerk finds it. gridId maps a stored row id to the id shown. */
export function placePlatformIssues(
  issues: PlatformRowIssue[],
  rows: GridRow[],
  fields: GridField[],
  gridId: (id: number) => number = (id) => id,
): PlacedPlatformIssue[] {
  const pos = new Map(rows.map((r, i) => [r.id, i + 1]))
  const label = new Map(fields.map((f) => [f.code, f.label]))
  return issues
    .map((is) => {
      const rowId = is.rowId ? gridId(is.rowId) : 0
      const row = rowId ? (pos.get(rowId) ?? 0) : 0
      return { rowId: row ? rowId : 0, row, rowNo: is.rowNo, field: is.field, fieldLabel: is.field ? (label.get(is.field) ?? is.field) : '', message: is.message }
    })
    .sort((a, b) => (a.row || Infinity) - (b.row || Infinity) || a.rowNo - b.rowNo)
}

/** The notes to mark on the grid (see applyNotes), for the rows that are there. */
export function platformNotes(placed: PlacedPlatformIssue[]): RowComment[] {
  return placed.filter((p) => p.rowId).map((p) => ({ rowId: p.rowId, field: p.field, comment: p.message }))
}
