import { describe, expect, it } from 'vitest'
import { toAppError } from '../../src/api/errors'

describe('toAppError', () => {
  it('parses the JSON envelope Go rejects with', () => {
    expect(toAppError('{"code":"forbidden","message":"无权"}')).toEqual({ code: 'forbidden', message: '无权' })
  })
  it('parses an Error whose message is the envelope', () => {
    expect(toAppError(new Error('{"code":"demo_only","message":"仅演示"}'))).toEqual({ code: 'demo_only', message: '仅演示' })
  })
  it('passes an AppError through unchanged', () => {
    const e = { code: 'bad_input', message: 'x' }
    expect(toAppError(e)).toBe(e)
  })
  it('turns anything else into internal, keeping the text', () => {
    expect(toAppError('connection lost')).toEqual({ code: 'internal', message: 'connection lost' })
    expect(toAppError('{"code":1}')).toEqual({ code: 'internal', message: '{"code":1}' })
    expect(toAppError(undefined)).toEqual({ code: 'internal', message: 'undefined' })
  })
})
