// What the import dialog shows of a dry run, and what it lets the clerk do.
// Pure functions: the backend decides what is valid, this only counts and
// words it. No cell value is ever read here (issues carry row, column,
// field and a message that names no value).
import type { ImportColumn, ImportIssue, ImportPreview } from '../api/backend'
import type { AppError } from '../api/errors'

export interface PreviewSummary {
  rows: number
  valid: number
  errorRows: number
  errors: number
  warnings: number
  /** Issues in the file; only the first `shown` came back to the page. */
  issuesTotal: number
  shown: number
  truncated: boolean
  /** "导入全部": only when no row has an error. */
  canImportAll: boolean
  /** "仅导入无误的行": some rows have errors and some do not. */
  canImportValid: boolean
  /** Nothing at all could be imported. */
  nothingToImport: boolean
  /** An error report is worth downloading. */
  hasReport: boolean
  mapped: ImportColumn[]
  ignored: string[]
  skipped: number[]
}

export function summarize(p: ImportPreview): PreviewSummary {
  const issues = p.issues ?? []
  const issuesTotal = Math.max(p.issuesTotal ?? issues.length, issues.length)
  return {
    rows: p.rows,
    valid: p.valid,
    errorRows: p.errorRows,
    errors: p.errors,
    warnings: p.warnings,
    issuesTotal,
    shown: issues.length,
    truncated: issuesTotal > issues.length,
    canImportAll: p.rows > 0 && p.errors === 0,
    canImportValid: p.errorRows > 0 && p.valid > 0,
    nothingToImport: p.rows === 0 || p.valid === 0,
    hasReport: p.errors + p.warnings > 0,
    mapped: (p.columns ?? []).filter((c) => c.field !== ''),
    ignored: p.ignored ?? [],
    skipped: p.skipped ?? [],
  }
}

/** Rows of the issues table: errors first within a row, file order otherwise. */
export function issueRows(p: ImportPreview): ImportIssue[] {
  const rank = (s: string) => (s === 'error' ? 0 : 1)
  return (p.issues ?? []).slice().sort((a, b) => a.row - b.row || rank(a.severity) - rank(b.severity))
}

/** A refusal of the whole file (import_*): shown in the dialog, the clerk picks another file. */
export function isFileRefusal(e: AppError): boolean {
  return e.code.startsWith('import_')
}

export type ImportPhase = 'read' | 'check' | 'commit' | 'report'

/** Progress bar state from an "import:progress" event: percent -1 means "unknown". */
export function progressBar(percent: number): { indeterminate: boolean; percentage: number } {
  if (!(percent >= 0)) return { indeterminate: true, percentage: 100 }
  return { indeterminate: false, percentage: Math.min(100, Math.max(0, Math.floor(percent))) }
}

/** A compact list of row numbers: 2, 5-7, 12. */
export function rowRanges(rows: number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b)
  const out: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++
    out.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]))
    i = j + 1
  }
  return out.join(', ')
}
