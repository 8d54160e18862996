import { describe, expect, it } from 'vitest'
import type { ImportPreview } from '../../src/api/backend'
import { previewOf } from './importFixtures'
import { isFileRefusal, issueRows, progressBar, rowRanges, summarize } from '../../src/entry/importPreview'
import { exportKinds } from '../../src/components/ExportMenu.vue'

describe('summarize', () => {
  it('counts a file with errors: not importable as a whole, valid rows importable', () => {
    const s = summarize(previewOf())
    expect(s).toMatchObject({ rows: 6, valid: 1, errorRows: 5, errors: 5, warnings: 0 })
    expect(s.canImportAll).toBe(false)
    expect(s.canImportValid).toBe(true)
    expect(s.nothingToImport).toBe(false)
    expect(s.hasReport).toBe(true)
    expect(s.mapped.map((c) => c.letter)).toEqual(['A', 'B'])
    expect(s.ignored).toEqual(['性别'])
    expect(s.truncated).toBe(false)
  })

  it('a clean file is importable as a whole and has no report', () => {
    const s = summarize(previewOf({ valid: 8, rows: 8, errorRows: 0, errors: 0, warnings: 0, issues: [], issuesTotal: 0 }))
    expect(s.canImportAll).toBe(true)
    expect(s.canImportValid).toBe(false)
    expect(s.hasReport).toBe(false)
  })

  it('warnings alone do not block, but are worth a report', () => {
    const s = summarize(previewOf({ rows: 2, valid: 2, errorRows: 0, errors: 0, warnings: 1 }))
    expect(s.canImportAll).toBe(true)
    expect(s.hasReport).toBe(true)
  })

  it('a file whose every row is bad offers nothing to import', () => {
    const s = summarize(previewOf({ rows: 3, valid: 0, errorRows: 3, errors: 4 }))
    expect(s.canImportAll).toBe(false)
    expect(s.canImportValid).toBe(false)
    expect(s.nothingToImport).toBe(true)
  })

  it('says when only the first 500 issues came back', () => {
    const issues = Array.from({ length: 500 }, (_, i) => ({ row: i + 2, column: 'B', field: 'id_number', label: '身份证号', code: 'x', severity: 'error', message: 'm' }))
    const s = summarize(previewOf({ issues, issuesTotal: 1234 } as Partial<ImportPreview>))
    expect(s.truncated).toBe(true)
    expect(s.shown).toBe(500)
    expect(s.issuesTotal).toBe(1234)
  })

  it('copes with empty lists sent as null', () => {
    const s = summarize(previewOf({ columns: null, ignored: null, skipped: null, issues: null } as unknown as Partial<ImportPreview>))
    expect(s.mapped).toEqual([])
    expect(s.ignored).toEqual([])
    expect(s.shown).toBe(0)
  })
})

describe('issueRows', () => {
  it('orders by row, errors before warnings', () => {
    expect(issueRows(previewOf()).map((i) => `${i.row}${i.column}:${i.severity}`)).toEqual(['3B:error', '3H:warning', '7B:error'])
  })
})

describe('helpers', () => {
  it('whole-file refusals are the import_* codes', () => {
    expect(isFileRefusal({ code: 'import_legacy_xls', message: '' })).toBe(true)
    expect(isFileRefusal({ code: 'import_missing_columns', message: '' })).toBe(true)
    expect(isFileRefusal({ code: 'canceled', message: '' })).toBe(false)
    expect(isFileRefusal({ code: 'stale_edit', message: '' })).toBe(false)
  })

  it('progress: -1 is an indeterminate bar, others are clamped whole percents', () => {
    expect(progressBar(-1)).toEqual({ indeterminate: true, percentage: 100 })
    expect(progressBar(NaN)).toEqual({ indeterminate: true, percentage: 100 })
    expect(progressBar(42.7)).toEqual({ indeterminate: false, percentage: 42 })
    expect(progressBar(130)).toEqual({ indeterminate: false, percentage: 100 })
  })

  it('row numbers as ranges', () => {
    expect(rowRanges([12])).toBe('12')
    expect(rowRanges([2, 12, 3, 4, 9])).toBe('2-4, 9, 12')
    expect(rowRanges([])).toBe('')
  })

  it('roster exports only for datasets with name, id_number, account and amount', () => {
    const f = (...codes: string[]) => ({ fields: codes.map((code) => ({ code })) }) as Parameters<typeof exportKinds>[0]
    expect(exportKinds(f('name', 'id_number', 'account', 'bank', 'amount'))).toEqual([
      'table',
      'payroll',
      'cards',
      'summary_project',
      'summary_region',
      'summary_month',
    ])
    expect(exportKinds(f('project_code', 'amount'))).toEqual(['table'])
    expect(exportKinds(null)).toEqual(['table'])
  })
})
