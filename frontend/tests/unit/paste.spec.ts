import { describe, expect, it } from 'vitest'
import { applyBlock, normalizeCell, normalizeEnum, parseTsv, trimCell, type PasteColumn, type PasteTarget } from '../../src/components/grid/paste'

describe('parseTsv', () => {
  it('reads tabs and CRLF rows with the trailing line break Excel adds', () => {
    expect(parseTsv('张三\t1200.5\r\n李四\t300\r\n')).toEqual([
      ['张三', '1200.5'],
      ['李四', '300'],
    ])
  })

  it('accepts LF and lone CR line breaks, and text without a final break', () => {
    expect(parseTsv('a\tb\nc\td')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ])
    expect(parseTsv('a\rb\r')).toEqual([['a'], ['b']])
  })

  it('returns nothing for empty text, one empty cell for a copied blank cell', () => {
    expect(parseTsv('')).toEqual([])
    expect(parseTsv('\r\n')).toEqual([['']])
    expect(parseTsv('\n')).toEqual([['']])
  })

  it('keeps empty cells and empty rows inside the block', () => {
    expect(parseTsv('a\t\tc\r\n\r\n\tb\t\r\n')).toEqual([['a', '', 'c'], [''], ['', 'b', '']])
  })

  it('only the last line break ends the block; a blank last row stays', () => {
    expect(parseTsv('a\r\n\r\n')).toEqual([['a'], ['']])
  })

  it('reads quoted cells with embedded tabs, line breaks and doubled quotes', () => {
    const text = '"第一行\n第二行"\t"含\t制表符"\t"他说""好"""\r\n"x\r\ny"\tz\r\n'
    expect(parseTsv(text)).toEqual([
      ['第一行\n第二行', '含\t制表符', '他说"好"'],
      ['x\r\ny', 'z'],
    ])
  })

  it('reads a quoted cell at the very end without a line break', () => {
    expect(parseTsv('a\t"b\nc"')).toEqual([['a', 'b\nc']])
  })

  it('reads an empty quoted cell', () => {
    expect(parseTsv('""\tb')).toEqual([['', 'b']])
  })

  it('takes an unclosed quote literally instead of swallowing the block', () => {
    expect(parseTsv('"abc\tdef\r\nghi\r\n')).toEqual([
      ['"abc', 'def'],
      ['ghi'],
    ])
  })

  it('takes quotes that do not wrap a whole cell literally', () => {
    expect(parseTsv('"abc"def\tx')).toEqual([['"abc"def', 'x']])
    expect(parseTsv('a"b"\t5" 屏')).toEqual([['a"b"', '5" 屏']])
  })

  it('drops a byte-order mark at the start', () => {
    expect(parseTsv('\ufeff姓名\t金额\r\n')).toEqual([['姓名', '金额']])
  })

  it('keeps 18-digit IDs and leading zeros exactly as text', () => {
    expect(parseTsv('11010519491231002X\t0012345\r\n')).toEqual([['11010519491231002X', '0012345']])
  })

  it('handles a large block quickly', () => {
    const line = '张三\t11010519491231002X\t6222020200112233445\t1200.50\t"备注\n两行"\r\n'
    const text = line.repeat(50_000)
    const t0 = performance.now()
    const rows = parseTsv(text)
    const ms = performance.now() - t0
    expect(rows).toHaveLength(50_000)
    expect(rows[49_999][4]).toBe('备注\n两行')
    expect(ms).toBeLessThan(2000)
  })
})

describe('normalizing cells', () => {
  const values = [
    { code: '1', label: '男' },
    { code: '2', label: '女' },
    { code: 'A', label: 'Alpha' },
  ]
  it('maps an enum code or label to the code', () => {
    expect(normalizeEnum('1', values)).toBe('1')
    expect(normalizeEnum('女', values)).toBe('2')
    expect(normalizeEnum(' 男 ', values)).toBe('1')
    expect(normalizeEnum('a', values)).toBe('A')
    expect(normalizeEnum('alpha', values)).toBe('A')
    expect(normalizeEnum('', values)).toBe('')
    expect(normalizeEnum('未知', values)).toBeNull()
  })

  it('keeps an unknown enum value as typed and says so', () => {
    expect(normalizeCell({ type: 'enum', values }, ' 未知 ')).toEqual({ value: '未知', unknownEnum: true })
    expect(normalizeCell({ type: 'enum', values }, '女')).toEqual({ value: '2', unknownEnum: false })
  })

  it('trims spaces of every kind, and only at the ends', () => {
    expect(trimCell('\u00a0张 三\u200b\u3000')).toBe('张 三')
    expect(normalizeCell({ type: 'text' }, '  王五 ')).toEqual({ value: '王五', unknownEnum: false })
  })
})

const columns: PasteColumn[] = [
  { code: 'name', label: '姓名', type: 'text' },
  { code: 'idno', label: '身份证号', type: 'idcard' },
  { code: 'sex', label: '性别', type: 'enum', values: [{ code: '1', label: '男' }, { code: '2', label: '女' }] },
  { code: 'amount', label: '补助金额', type: 'money' },
  { code: 'files', label: '附件', type: 'attachment' },
]

function target(data: Record<string, string>[], opts: { canAppend?: boolean; masked?: string[] } = {}): PasteTarget {
  return {
    columns,
    rowCount: data.length,
    rowId: (pos) => 100 + pos,
    current: (pos, code) => (opts.masked?.includes(code) ? undefined : (data[pos][code] ?? '')),
    canAppend: opts.canAppend ?? true,
  }
}

describe('applyBlock', () => {
  const data = [
    { name: '张三', idno: '110***********1234', sex: '1', amount: '100' },
    { name: '李四', idno: '', sex: '2', amount: '200' },
    { name: '王五', idno: '', sex: '', amount: '' },
  ]

  it('fills right and down from the anchor cell', () => {
    const r = applyBlock(parseTsv('赵六\t110105194912310021\r\n钱七\t110105194912310048\r\n'), { row: 1, col: 0 }, target(data))
    expect(r.changes).toEqual([
      { id: 101, field: 'name', value: '赵六' },
      { id: 101, field: 'idno', value: '110105194912310021' },
      { id: 102, field: 'name', value: '钱七' },
      { id: 102, field: 'idno', value: '110105194912310048' },
    ])
    expect(r.newRows).toEqual([])
    expect(r.rows).toBe(2)
    expect(r.cols).toBe(2)
    expect(r.ignoredColumns).toBe(0)
  })

  it('leaves unchanged cells out', () => {
    const r = applyBlock([['张三', '']], { row: 0, col: 0 }, target(data))
    expect(r.changes).toEqual([{ id: 100, field: 'idno', value: '' }])
  })

  it('always writes a masked field, whose stored value the grid does not know', () => {
    const r = applyBlock([['110***********1234']], { row: 0, col: 1 }, target(data, { masked: ['idno'] }))
    expect(r.changes).toEqual([{ id: 100, field: 'idno', value: '110***********1234' }])
  })

  it('an empty pasted cell clears the cell', () => {
    const r = applyBlock([['', '']], { row: 0, col: 2 }, target(data))
    expect(r.changes).toEqual([
      { id: 100, field: 'sex', value: '' },
      { id: 100, field: 'amount', value: '' },
    ])
  })

  it('accepts enum codes or labels and counts unknown values', () => {
    const r = applyBlock(parseTsv('女\r\n1\r\n不详\r\n'), { row: 0, col: 2 }, target(data))
    expect(r.changes).toEqual([
      { id: 100, field: 'sex', value: '2' },
      { id: 101, field: 'sex', value: '1' },
      { id: 102, field: 'sex', value: '不详' },
    ])
    expect(r.unknownEnum).toBe(1)
  })

  it('adds rows for the part of the block beyond the last row, with their cells', () => {
    const r = applyBlock(parseTsv('孙八\t\t男\t50\r\n周九\t\t\t\r\n'), { row: 2, col: 0 }, target(data))
    expect(r.changes).toEqual([
      { id: 102, field: 'name', value: '孙八' },
      { id: 102, field: 'sex', value: '1' },
      { id: 102, field: 'amount', value: '50' },
    ])
    expect(r.newRows).toEqual([{ name: '周九' }])
    expect(r.rows).toBe(2)
  })

  it('keeps blank rows inside the appended part but not trailing ones', () => {
    const r = applyBlock(parseTsv('a\r\n\r\nb\r\n\r\n\r\n'), { row: 3, col: 0 }, target(data))
    expect(r.newRows).toEqual([{ name: 'a' }, {}, { name: 'b' }])
  })

  it('does not add rows when appending is not allowed, and says how many were left', () => {
    const r = applyBlock(parseTsv('a\r\nb\r\nc\r\n'), { row: 2, col: 0 }, target(data, { canAppend: false }))
    expect(r.changes).toEqual([{ id: 102, field: 'name', value: 'a' }])
    expect(r.newRows).toEqual([])
    expect(r.ignoredRows).toBe(2)
  })

  it('ignores columns beyond the last and counts them', () => {
    const r = applyBlock(parseTsv('150\tx\ty\tz\r\n'), { row: 0, col: 3 }, target(data))
    expect(r.changes).toEqual([{ id: 100, field: 'amount', value: '150' }])
    expect(r.cols).toBe(2) // amount, files
    expect(r.ignoredColumns).toBe(2) // y, z
    expect(r.attachmentCells).toBe(1) // x
  })

  it('never writes attachment columns from a paste', () => {
    const r = applyBlock([['300', 'a.pdf']], { row: 0, col: 3 }, target(data))
    expect(r.changes).toEqual([{ id: 100, field: 'amount', value: '300' }])
    expect(r.attachmentCells).toBe(1)
  })

  it('skips a header row copied along with the data', () => {
    const r = applyBlock(parseTsv('*姓名\t身份证号\r\n赵六\t110105194912310021\r\n'), { row: 0, col: 0 }, target(data))
    expect(r.skippedHeader).toBe(true)
    expect(r.changes).toEqual([
      { id: 100, field: 'name', value: '赵六' },
      { id: 100, field: 'idno', value: '110105194912310021' },
    ])
  })

  it('does not mistake data for a header, nor a lone pasted title', () => {
    expect(applyBlock(parseTsv('姓名\r\n'), { row: 0, col: 0 }, target(data)).skippedHeader).toBe(false)
    expect(applyBlock(parseTsv('姓名\t张三\r\nx\ty\r\n'), { row: 0, col: 0 }, target(data)).skippedHeader).toBe(false)
  })

  it('skips a 合计 row at the bottom', () => {
    const r = applyBlock(parseTsv('10\r\n20\r\n合计\t30\r\n'), { row: 0, col: 3 }, target(data))
    expect(r.skippedTotal).toBe(true)
    expect(r.changes).toEqual([
      { id: 100, field: 'amount', value: '10' },
      { id: 101, field: 'amount', value: '20' },
    ])
    const r2 = applyBlock(parseTsv('a\r\n\t合 计\t30\r\n'), { row: 0, col: 0 }, target(data))
    expect(r2.skippedTotal).toBe(true)
  })

  it('does nothing for an empty block or an anchor outside the grid', () => {
    expect(applyBlock([], { row: 0, col: 0 }, target(data)).changes).toEqual([])
    expect(applyBlock([['x']], { row: 0, col: 9 }, target(data)).changes).toEqual([])
    expect(applyBlock([['x']], { row: -1, col: 0 }, target(data)).changes).toEqual([])
  })

  it('pastes onto an empty grid as new rows', () => {
    const r = applyBlock(parseTsv('a\t\t女\r\nb\r\n'), { row: 0, col: 0 }, target([]))
    expect(r.newRows).toEqual([{ name: 'a', sex: '2' }, { name: 'b' }])
  })

  it('handles ragged rows by touching only the cells given', () => {
    const r = applyBlock([['x', 'y'], ['z']], { row: 0, col: 0 }, target(data))
    expect(r.changes).toEqual([
      { id: 100, field: 'name', value: 'x' },
      { id: 100, field: 'idno', value: 'y' },
      { id: 101, field: 'name', value: 'z' },
    ])
  })
})
