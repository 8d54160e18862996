import { describe, expect, it } from 'vitest'
import { applyIssues, periodLabel, recentPeriods } from '../../src/entry/rows'
import type { GridRow } from '../../src/components/grid/types'
import type { Issue } from '../../src/api/backend'

describe('entry rows', () => {
  it('puts issues on their rows and clears fixed ones', () => {
    const rows: GridRow[] = [
      { id: 1, cells: {}, issues: [{ field: 'x', code: 'old', severity: 'error', message: '旧' }] },
      { id: 2, cells: {}, issues: [] },
    ]
    const issues = [
      { rowId: 2, row: 2, field: 'id_number', code: 'id_checksum', severity: 'error', message: '校验位不符' },
      { rowId: 2, row: 2, field: 'account', code: 'account_luhn', severity: 'warning', message: '请核对' },
    ] as Issue[]
    expect(applyIssues(rows, issues)).toEqual({ errors: 1, warnings: 1 })
    expect(rows[0].issues).toEqual([])
    expect(rows[1].issues.map((i) => i.code)).toEqual(['id_checksum', 'account_luhn'])
  })

  it('maps report ids to the temporary ids new rows keep on screen', () => {
    const rows: GridRow[] = [{ id: -1, cells: {}, issues: [] }]
    const issues = [{ rowId: 7, row: 1, field: 'name', code: 'required', severity: 'error', message: '必填' }] as Issue[]
    applyIssues(rows, issues, (id) => (id === 7 ? -1 : id))
    expect(rows[0].issues.map((i) => i.code)).toEqual(['required'])
  })

  it('lists periods in China time', () => {
    // 2026-09-30 17:00 UTC is 1 October in Beijing.
    const now = new Date(Date.UTC(2026, 8, 30, 17))
    expect(recentPeriods('monthly', now).slice(0, 3)).toEqual(['2026-10', '2026-09', '2026-08'])
    expect(recentPeriods('monthly', now)).toHaveLength(13)
    expect(recentPeriods('quarterly', now).slice(0, 3)).toEqual(['2026Q4', '2026Q3', '2026Q2'])
    expect(recentPeriods('quarterly', new Date(Date.UTC(2026, 1, 1))).slice(0, 2)).toEqual(['2026Q1', '2025Q4'])
  })

  it('labels periods the way clerks read them', () => {
    expect(periodLabel('2026-03')).toBe('2026年3月')
    expect(periodLabel('2026Q3')).toBe('2026年第3季度')
  })
})
