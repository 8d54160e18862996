import { describe, expect, it } from 'vitest'
import { formatYuan, formatYuanSign, parseFen, parseMoney, sumFen } from '../../src/components/grid/money'

const MAX = 9223372036854775807n

// The same table as backend/fields/money_test.go: the grid's totals must
// read amounts exactly as the backend does.
const cases: [string, bigint | string][] = [
  ['1234.5', 123450n],
  ['1234.50', 123450n],
  ['1,234.50', 123450n],
  ['12,345,678.9', 1234567890n],
  ['１２３４．５０', 123450n],
  ['１，２３４．５', 123450n],
  ['￥1234.50', 123450n],
  ['¥ 1,234.50', 123450n],
  ['￥１２３４', 123400n],
  ['1234元', 123400n],
  ['1234.5 元', 123450n],
  ['1234元整', 123400n],
  ['RMB1234.50', 123450n],
  ['  1234  ', 123400n],
  ['0', 0n],
  ['0.01', 1n],
  ['.5', 50n],
  ['5.', 500n],
  ['007.10', 710n],
  ['1234.500', 123450n],
  ['92233720368547758.07', MAX],
  ['92,233,720,368,547,758.07', MAX],

  ['', 'money_empty'],
  [' \u3000', 'money_empty'],
  ['￥', 'money_format'],
  ['元', 'money_format'],
  ['-1', 'money_negative'],
  ['－１００', 'money_negative'],
  ['-0.00', 'money_negative'],
  ['(100.00)', 'money_negative'],
  ['负100', 'money_negative'],
  ['￥-5', 'money_negative'],
  ['1.234', 'money_decimals'],
  ['1234.5000000001', 'money_decimals'],
  ['1e3', 'money_format'],
  ['1.2345E+5', 'money_format'],
  ['1E-2', 'money_format'],
  ['1.2.3', 'money_format'],
  ['.', 'money_format'],
  ['12,34', 'money_format'],
  ['1234,50', 'money_format'],
  [',123', 'money_format'],
  ['1,234,', 'money_format'],
  ['1234.5,0', 'money_format'],
  ['+5', 'money_format'],
  ['一百', 'money_format'],
  ['12 34', 'money_format'],
  ['0x10', 'money_format'],
  ['NaN', 'money_format'],
  ['Inf', 'money_format'],
  ['92233720368547758.08', 'money_overflow'],
  ['92233720368547759', 'money_overflow'],
  ['1000000000000000000', 'money_overflow'],
  ['99999999999999999999999999', 'money_overflow'],
]

describe('parseMoney', () => {
  for (const [input, want] of cases) {
    it(JSON.stringify(input), () => {
      const got = parseMoney(input)
      if (typeof want === 'bigint') {
        expect(got).toEqual({ ok: true, fen: want })
        expect(parseFen(input)).toBe(want)
      } else {
        expect(got).toEqual({ ok: false, code: want })
        expect(parseFen(input)).toBeNull()
      }
    })
  }
})

describe('formatYuan', () => {
  it('shows two decimals, with or without thousands separators', () => {
    expect(formatYuan(0n)).toBe('0.00')
    expect(formatYuan(1n)).toBe('0.01')
    expect(formatYuan(120050n)).toBe('1200.50')
    expect(formatYuan(123456789n, true)).toBe('1,234,567.89')
    expect(formatYuan(99999n, true)).toBe('999.99')
    expect(formatYuan(100000n, true)).toBe('1,000.00')
    expect(formatYuan(MAX, true)).toBe('92,233,720,368,547,758.07')
    expect(formatYuan(-5n)).toBe('-0.05')
  })
  it('puts the yuan sign in front', () => {
    expect(formatYuanSign(120050n)).toBe('¥1,200.50')
    expect(formatYuanSign(-120050n)).toBe('-¥1,200.50')
  })
  it('round-trips through parseFen', () => {
    for (const fen of [0n, 7n, 10n, 99n, 100n, 123456n, 100000000000n, MAX]) {
      expect(parseFen(formatYuan(fen))).toBe(fen)
      expect(parseFen(formatYuan(fen, true))).toBe(fen)
    }
  })
})

describe('sumFen', () => {
  it('adds exactly where floats would not', () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004
    expect(sumFen(['0.1', '0.2']).fen).toBe(30n)
    const s = sumFen(Array.from({ length: 10 }, () => '0.1'))
    expect(s.fen).toBe(100n)
    expect(s.counted).toBe(10)
  })

  it('counts blank cells apart from cells that are not amounts', () => {
    const s = sumFen(['1200.5', '', undefined, '  ', 'abc', '-3', '1,000', '1.234', '￥0.50'])
    expect(s).toEqual({ fen: 120050n + 100000n + 50n, counted: 3, ignored: 3, empty: 3 })
  })

  it('stays exact beyond 2^53 fen', () => {
    const big = '9999999999999.99' // 999999999999999 fen, about 2^50
    const s = sumFen(Array.from({ length: 1000 }, () => big))
    expect(s.fen).toBe(999999999999999n * 1000n)
    const huge = sumFen(['92233720368547758.07', '0.01'])
    expect(huge.fen).toBe(MAX + 1n)
  })

  it('sums 100,000 amounts quickly and exactly', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => `${i % 5000}.${String(i % 100).padStart(2, '0')}`)
    let want = 0n
    for (let i = 0; i < 100_000; i++) want += BigInt(i % 5000) * 100n + BigInt(i % 100)
    const t0 = performance.now()
    const s = sumFen(values)
    const ms = performance.now() - t0
    expect(s.fen).toBe(want)
    expect(s.counted).toBe(100_000)
    expect(ms).toBeLessThan(500)
  })
})
