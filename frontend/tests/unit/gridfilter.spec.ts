import { describe, expect, it } from 'vitest'
import { filterRows, fold, issueRowCounts, makeSearcher, queryTerms } from '../../src/components/grid/filter'
import type { GridField, GridRow } from '../../src/components/grid/types'

const fields: GridField[] = [
  { code: 'name', label: '姓名', type: 'text', required: true, help: '' },
  { code: 'idno', label: '身份证号', type: 'idcard', required: true, help: '' },
  { code: 'village', label: '村', type: 'text', required: true, help: '' },
  { code: 'sex', label: '性别', type: 'enum', required: false, help: '', values: [{ code: '1', label: '男' }, { code: '2', label: '女' }] },
]
const rows: GridRow[] = [
  { id: 1, cells: { name: '张三', idno: '110***********123X', village: '东风村', sex: '1' }, issues: [] },
  { id: 2, cells: { name: '李四', idno: '110***********5678', village: '红旗村', sex: '2' }, issues: [{ field: 'idno', code: 'x', severity: 'error', message: 'm' }] },
  { id: 3, cells: { name: '张小红', idno: '', village: '红旗村', sex: '2' }, issues: [{ field: 'sex', code: 'y', severity: 'warning', message: 'w' }] },
]

describe('grid filter', () => {
  const match = makeSearcher(fields)
  const ids = (q: string, mode: 'all' | 'errors' | 'warnings' = 'all') => filterRows(rows, queryTerms(q), mode, match).map((r) => r.id)

  it('finds names, masked ID fragments and villages', () => {
    expect(ids('张')).toEqual([1, 3])
    expect(ids('5678')).toEqual([2])
    expect(ids('123x')).toEqual([1]) // case-insensitive, X in IDs
    expect(ids('１２３Ｘ')).toEqual([1]) // full-width digits from an IME
    expect(ids('红旗村')).toEqual([2, 3])
  })

  it('requires every term, and searches enum labels', () => {
    expect(ids('红旗 张')).toEqual([3])
    expect(ids('女 李')).toEqual([2])
  })

  it('filters by errors or warnings and combines with the search', () => {
    expect(ids('', 'errors')).toEqual([2])
    expect(ids('', 'warnings')).toEqual([3])
    expect(ids('张', 'errors')).toEqual([])
  })

  it('returns the same array when nothing is filtered', () => {
    expect(filterRows(rows, [], 'all', match)).toBe(rows)
  })

  it('counts rows with errors and with warnings', () => {
    expect(issueRowCounts(rows)).toEqual({ errors: 1, warnings: 1 })
  })

  it('searches 100,000 rows fast', () => {
    const many: GridRow[] = Array.from({ length: 100_000 }, (_, i) => ({ id: i, cells: { name: `姓名${i}`, idno: `110***********${String(i).padStart(4, '0').slice(-4)}`, village: '东风村', sex: '1' }, issues: [] }))
    const m = makeSearcher(fields)
    filterRows(many, queryTerms('x'), 'all', m) // builds the search text once
    const t0 = performance.now()
    const found = filterRows(many, queryTerms('1234'), 'all', m)
    const ms = performance.now() - t0
    expect(found.length).toBeGreaterThanOrEqual(10)
    expect(ms).toBeLessThan(500)
    expect(fold('ＡＢ　c')).toBe('ab c')
  })
})
