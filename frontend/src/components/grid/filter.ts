// Search and issue filters over a whole roster. Plain array passes: at
// 100,000 rows a search is a few milliseconds once each row's search text
// is built. The text is cached per `cells` object: an edited row comes back
// with new cells (see DataGrid) and is rebuilt, the others are not.
import type { GridField, GridRow } from './types'

export type IssueFilter = 'all' | 'errors' | 'warnings'

export function hasSeverity(row: GridRow, severity: 'error' | 'warning'): boolean {
  for (const i of row.issues) if (i.severity === severity) return true
  return false
}

// fold lower-cases and maps full-width ASCII to ASCII, so "１２３４" finds
// "1234" and "x" finds "X" in an ID.
export function fold(s: string): string {
  let out = s.toLowerCase()
  if (/[\uff01-\uff5e\u3000]/.test(out)) {
    out = out.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ')
  }
  return out
}

// makeSearcher returns a function telling whether a row contains every
// whitespace-separated term of a query, in any field (values as stored,
// which for masked fields is the masked text, plus enum labels).
export function makeSearcher(fields: GridField[]) {
  const cache = new WeakMap<Record<string, string>, string>()
  const labels = new Map<string, Map<string, string>>()
  for (const f of fields) {
    if (f.type === 'enum' && f.values) labels.set(f.code, new Map(f.values.map((o) => [o.code, o.label])))
  }
  const codes = fields.map((f) => f.code)
  function text(row: GridRow): string {
    let s = cache.get(row.cells)
    if (s === undefined) {
      const parts: string[] = []
      for (const c of codes) {
        const v = row.cells[c]
        if (!v) continue
        parts.push(v)
        const l = labels.get(c)?.get(v)
        if (l) parts.push(l)
      }
      s = fold(parts.join('\u0001'))
      cache.set(row.cells, s)
    }
    return s
  }
  return (row: GridRow, terms: string[]): boolean => {
    if (terms.length === 0) return true
    const s = text(row)
    for (const t of terms) if (!s.includes(t)) return false
    return true
  }
}

export function queryTerms(query: string): string[] {
  return fold(query)
    .split(/\s+/)
    .filter((t) => t !== '')
}

// filterRows keeps the rows that match the query and the issue filter. It
// returns rows itself (not a copy) when nothing is filtered.
export function filterRows(
  rows: GridRow[],
  terms: string[],
  mode: IssueFilter,
  matches: (row: GridRow, terms: string[]) => boolean,
): GridRow[] {
  if (terms.length === 0 && mode === 'all') return rows
  const out: GridRow[] = []
  for (const r of rows) {
    if (mode === 'errors' && !hasSeverity(r, 'error')) continue
    if (mode === 'warnings' && !hasSeverity(r, 'warning')) continue
    if (!matches(r, terms)) continue
    out.push(r)
  }
  return out
}

export function issueRowCounts(rows: GridRow[]): { errors: number; warnings: number } {
  let errors = 0
  let warnings = 0
  for (const r of rows) {
    if (r.issues.length === 0) continue
    if (hasSeverity(r, 'error')) errors++
    if (hasSeverity(r, 'warning')) warnings++
  }
  return { errors, warnings }
}
