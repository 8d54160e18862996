// Pure helpers between the backend's batch shapes and the grid's.
import type { GridField, GridFieldType, GridIssue, GridRow } from '../components/grid/types'
import type { Field, Issue } from '../api/backend'

export const PERSONAL_TYPES: readonly string[] = ['idcard', 'account']

export function toGridFields(fields: Field[]): GridField[] {
  return fields.map((f) => ({
    code: f.code,
    label: f.label,
    type: f.type as GridFieldType,
    required: f.required,
    help: f.help,
    values: f.values?.map((v) => ({ code: v.code, label: v.label })),
  }))
}

export function maskedCodes(fields: Field[]): string[] {
  return fields.filter((f) => PERSONAL_TYPES.includes(f.type)).map((f) => f.code)
}

/** Puts a validation report's issues on the rows they belong to. */
export function applyIssues(
  rows: GridRow[],
  issues: Issue[],
  gridId: (rowId: number) => number = (id) => id,
): { errors: number; warnings: number } {
  const byRow = new Map<number, GridIssue[]>()
  let errors = 0
  let warnings = 0
  for (const is of issues) {
    if (is.severity === 'error') errors++
    else warnings++
    const id = gridId(is.rowId)
    let list = byRow.get(id)
    if (!list) byRow.set(id, (list = []))
    list.push({ field: is.field, code: is.code, severity: is.severity as 'error' | 'warning', message: is.message })
  }
  for (const r of rows) {
    const found = byRow.get(r.id)
    if (found || r.issues.length) r.issues = found ?? []
  }
  return { errors, warnings }
}

/** The periods a clerk may pick for a dataset: this one and the previous 12 (months) or 4 (quarters). */
export function recentPeriods(kind: string, now: Date): string[] {
  // China time, whatever the PC's zone says.
  const cst = new Date(now.getTime() + 8 * 3600 * 1000)
  let y = cst.getUTCFullYear()
  const out: string[] = []
  if (kind === 'quarterly') {
    let q = Math.floor(cst.getUTCMonth() / 3) + 1
    for (let i = 0; i < 5; i++) {
      out.push(`${y}Q${q}`)
      if (--q === 0) {
        q = 4
        y--
      }
    }
  } else if (kind === 'yearly') {
    for (let i = 0; i < 2; i++) out.push(String(y - i))
  } else {
    let m = cst.getUTCMonth() + 1
    for (let i = 0; i < 13; i++) {
      out.push(`${y}-${String(m).padStart(2, '0')}`)
      if (--m === 0) {
        m = 12
        y--
      }
    }
  }
  return out
}

export function periodLabel(p: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(p)
  if (m) return `${m[1]}年${Number(m[2])}月`
  m = /^(\d{4})Q(\d)$/.exec(p)
  if (m) return `${m[1]}年第${m[2]}季度`
  return `${p}年`
}
