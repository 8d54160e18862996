import { describe, expect, it } from 'vitest'
import { formatDate, formatDateTime } from '../../src/format'

describe('China-time formatting', () => {
  it('shows the China calendar day, not the UTC one', () => {
    expect(formatDate('2028-11-23T15:59:59Z')).toBe('2028-11-23')
    expect(formatDate('2028-11-23T16:00:00Z')).toBe('2028-11-24')
    expect(formatDate('2026-01-01T00:00:00+08:00')).toBe('2026-01-01')
  })
  it('shows times in China time with seconds', () => {
    expect(formatDateTime('2026-11-23T01:02:03Z')).toBe('2026-11-23 09:02:03')
    expect(formatDateTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00')
  })
  it('gives an empty string for a missing or bad value', () => {
    expect(formatDate(undefined)).toBe('')
    expect(formatDateTime('not a date')).toBe('')
  })
})
