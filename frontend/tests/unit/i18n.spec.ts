import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import zhCN from '../../src/i18n/zh-CN'
import en from '../../src/i18n/en'

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

function goConstants(relPath: string, typeName: string): string[] {
  const src = readFileSync(fileURLToPath(new URL(relPath, import.meta.url)), 'utf8')
  return [...src.matchAll(new RegExp(`\\w+\\s+${typeName}\\s*=\\s*"([a-z_]+)"`, 'g'))].map((m) => m[1])
}

// Every non-test .go file under dir.
function goSources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? goSources(p) : n.endsWith('.go') && !n.endsWith('_test.go') ? [p] : []
  })
}

// Every .vue and .ts file under src, for the literal t('key') calls in them.
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? sources(p) : /\.(vue|ts)$/.test(n) ? [p] : []
  })
}

describe('i18n', () => {
  it('every literal key the code asks for exists', () => {
    const all = new Set(keys(zhCN))
    const src = join(fileURLToPath(import.meta.url), '../../../src')
    const missing: string[] = []
    for (const file of sources(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z][\w.]*)'/g)) {
        if (!all.has(m[1])) missing.push(`${file.slice(src.length)}: ${m[1]}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('English has exactly the keys of zh-CN', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })

  it('no message is empty', () => {
    for (const k of keys(zhCN)) expect(k && k.length).toBeTruthy()
    const flat = (o: object): string[] => Object.values(o).flatMap((v) => (typeof v === 'object' ? flat(v) : [v as string]))
    for (const s of [...flat(zhCN), ...flat(en)]) expect(s.trim()).not.toBe('')
  })

  it('every backend error code has a message in both locales', () => {
    // apperr.go holds the common codes; packages define their own
    // (approval, audit, platform…) as apperr.Code constants.
    const codes = goConstants('../../../backend/apperr/apperr.go', 'Code')
    expect(codes.length).toBeGreaterThan(5)
    for (const file of goSources(join(fileURLToPath(import.meta.url), '../../../../backend'))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\w+\s+apperr\.Code\s*=\s*"([a-z_]+)"/g)) codes.push(m[1])
    }
    for (const c of codes) {
      expect(Object.keys(zhCN.errors), `zh-CN errors.${c}`).toContain(c)
      expect(Object.keys(en.errors), `en errors.${c}`).toContain(c)
    }
  })

  it('every backend role and page has a label', () => {
    for (const r of goConstants('../../../backend/session/roles.go', 'Role')) expect(Object.keys(zhCN.role)).toContain(r)
    for (const p of goConstants('../../../backend/session/roles.go', 'Page')) expect(Object.keys(zhCN.menu)).toContain(p)
  })
})

describe('i18n messages compile', () => {
  it('every message renders without a compile error (e.g. a bare @)', async () => {
    const { i18n } = await import('../../src/i18n')
    const errors: string[] = []
    const orig = console.error
    console.error = (...a: unknown[]) => errors.push(a.map(String).join(' '))
    try {
      for (const loc of ['zh-CN', 'en'] as const) {
        i18n.global.locale.value = loc
        for (const k of keys(loc === 'en' ? en : zhCN)) {
          expect(() => i18n.global.t(k, { name: 'x', days: 1, page: 'p', version: 'v', dir: 'd', code: 'c', serial: 's', password: 'p', unit: 'u', roles: 'r' })).not.toThrow()
        }
      }
    } finally {
      console.error = orig
      i18n.global.locale.value = 'zh-CN'
    }
    expect(errors.filter((e) => e.includes('compilation'))).toEqual([])
  })
})
