// Grid benchmark (not part of `npm test`): builds bench/grid.html with
// vite.bench.config.ts, opens it in headless Chromium with 100,000 rows and
// prints JSON: time to first rows, frame times while scrolling, and the
// latency of a search, a cell edit and a paste.
//
//   node tests/bench/grid-scroll.mjs [--rows 100000] [--seconds 3] [--keep]
//
// Frame times are requestAnimationFrame deltas in the page while it scrolls
// programmatically (vxe's scrollTo, as a scrollbar drag does) and by mouse
// wheel events (as a clerk does). A frame counts as dropped for each 16.7 ms
// period it overran (delta > 1.5 frames ⇒ floor(delta / 16.7) - 1 dropped).
import { build } from 'vite'
import { chromium } from 'playwright-core'
import { createServer } from 'node:http'
import { mkdtempSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, extname, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : dflt
}
const ROWS = Number(opt('rows', 100000))
const SECONDS = Number(opt('seconds', 3))
const KEEP = args.includes('--keep')
const VERBOSE = args.includes('--verbose')
const FRAME = 1000 / 60

const root = fileURLToPath(new URL('../..', import.meta.url))
const outDir = mkdtempSync(join(tmpdir(), 'caiji-grid-bench-'))

const tBuild = performance.now()
await build({ configFile: join(root, 'vite.bench.config.ts'), build: { outDir }, logLevel: 'error' })
const buildMs = performance.now() - tBuild

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.svg': 'image/svg+xml' }
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
  const file = join(outDir, path === '/' ? 'grid.html' : path)
  if (!file.startsWith(outDir) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
  res.end(readFileSync(file))
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const url = `http://127.0.0.1:${server.address().port}/grid.html?rows=${ROWS}`

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--disable-gpu-vsync', '--no-sandbox'] })
const result = { rows: ROWS, buildMs: Math.round(buildMs), chromium: browser.version() }
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
  const consoleErrors = []
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  page.on('crash', () => progress('page crashed'))
  const tNav = Date.now()
  await page.goto(url)
  await page.waitForFunction(() => window.__bench && window.__bench.firstRowsMs >= 0, null, { timeout: 120000 })
  const first = await page.evaluate(() => ({ genMs: window.__bench.genMs, firstRowsMs: window.__bench.firstRowsMs, rendered: document.querySelectorAll('.vxe-table--body-wrapper.body--wrapper tr.vxe-body--row').length }))
  result.navigationToFirstRowsMs = Date.now() - tNav
  result.dataGenerationMs = round(first.genMs)
  result.mountToFirstRowsMs = round(first.firstRowsMs)
  result.renderedRowElements = first.rendered
  await page.waitForTimeout(500)
  // __until resolves with the ms from t0 until cond() holds on a frame, or
  // with a diagnostic string after 20 s.
  await page.evaluate(() => {
    window.__until = (cond, t0) =>
      new Promise((resolve) => {
        const check = () => {
          if (cond()) resolve(Math.round(performance.now() - t0))
          else if (performance.now() - t0 > 20000) resolve(`timeout; notice=${document.querySelector('[data-testid=grid-notice]')?.textContent}; info=${document.querySelector('[data-testid=grid-info]')?.textContent}`)
          else requestAnimationFrame(check)
        }
        check()
      })
  })

  // Calibration: the same page redrawing a plain 20 × 14 HTML table with new
  // text on every frame, no framework. Shows what this machine can paint.
  progress('calibration')
  result.calibrationPlainTable = await page.evaluate(async (seconds) => {
    const div = document.createElement('div')
    div.style.cssText = 'position:fixed;left:0;top:0;width:1340px;height:600px;overflow:hidden;background:#fff;z-index:9999;font-size:14px'
    document.body.appendChild(div)
    const deltas = []
    const t0 = performance.now()
    let last = t0
    await new Promise((resolve) => {
      const step = (now) => {
        deltas.push(now - last)
        last = now
        const k = Math.floor((now - t0) / 10)
        let html = '<table style="border-collapse:collapse">'
        for (let i = 0; i < 20; i++) {
          html += '<tr>'
          for (let j = 0; j < 14; j++) html += `<td style="border:1px solid #ddd;padding:0 8px;height:33px;width:80px;white-space:nowrap">张三${k + i}-${j}</td>`
          html += '</tr>'
        }
        div.innerHTML = html + '</table>'
        if (now - t0 < seconds * 1000) requestAnimationFrame(step)
        else resolve()
      }
      requestAnimationFrame(step)
    })
    div.remove()
    return deltas.slice(1)
  }, SECONDS).then(stats)

  // Programmatic scrolling: steady (a long wheel scroll, ~90 rows/s) and
  // sweeping the whole list in SECONDS (dragging the scrollbar thumb).
  // Then a row at a time: one row further on every frame (holding the
  // arrow key down, or a slow drag).
  progress('scrollSteady')
  result.scrollSteady = await scrollRun(page, 'steady', SECONDS)
  progress('scrollSweep')
  result.scrollSweep = await scrollRun(page, 'sweep', SECONDS)
  progress('scrollRowPerFrame')
  result.scrollRowPerFrame = await scrollRun(page, 'row', SECONDS)
  progress('scrollWheel')
  result.scrollWheel = await wheelRun(page, SECONDS)

  // A cell edit: select a cell, type, Enter; time until the new value is on screen.
  progress('editCommitMs')
  await page.evaluate(() => window.__bench.grid.table.scrollTo(0, 0))
  await page.waitForTimeout(300)
  await page.click('[data-cell="5:name"]')
  await page.keyboard.type('测试')
  await page.evaluate(() => {
    window.__p = new Promise((resolve) => {
      window.addEventListener(
        'keydown',
        (e) => {
          if (e.key !== 'Enter') return
          const t0 = performance.now()
          resolve(window.__until(() => document.querySelector('[data-cell="5:name"] .dg-text')?.textContent === '测试', t0))
        },
        { capture: true, once: true },
      )
    })
  })
  await page.keyboard.press('Enter')
  result.editCommitMs = await page.evaluate(() => window.__p)

  // A paste of 1,000 rows × 3 columns at the current cell.
  progress('paste1000RowsMs')
  result.paste1000RowsMs = await page.evaluate(async () => {
    const lines = []
    for (let i = 0; i < 1000; i++) lines.push(`粘贴${i}\t110105194912310021\t女`)
    const dt = new DataTransfer()
    dt.setData('text/plain', lines.join('\r\n') + '\r\n')
    const sink = document.querySelector('[data-testid="grid-editor"]')
    const before = window.__bench.edits.length
    const t0 = performance.now()
    sink.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
    return await window.__until(() => window.__bench.edits.length > before && document.querySelector('[data-cell="6:name"] .dg-text')?.textContent === '粘贴0', t0)
  })

  // The 新增行 button: time until the new row is the current cell.
  progress('addRowMs')
  await page.evaluate(() => {
    const info = document.querySelector('[data-testid="grid-info"]')
    const btn = document.querySelector('[data-testid="grid-add-row"]')
    window.__p = new Promise((resolve) => {
      btn.addEventListener('click', () => {
        const t0 = performance.now()
        resolve(window.__until(() => info.textContent.includes(String(window.__bench.rows + 1)), t0))
      }, { capture: true, once: true })
    })
  })
  await page.click('[data-testid="grid-add-row"]')
  result.addRowMs = await page.evaluate(() => window.__p)

  // Search: type a four-digit ID tail; time until the filtered rows show.
  progress('search')
  result.search = await page.evaluate(async () => {
    const tagged = document.querySelector('[data-testid="grid-search"]')
    const input = tagged.tagName === 'INPUT' ? tagged : tagged.querySelector('input')
    const footer = document.querySelector('[data-testid="grid-footer"]')
    const before = footer.textContent
    input.value = '1234'
    input.dispatchEvent(new Event('input', { bubbles: true }))
    const t0 = performance.now()
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    const ms = await window.__until(() => footer.textContent !== before, t0)
    return { ms, footer: footer.querySelector('span')?.textContent }
  })
  result.consoleErrors = consoleErrors.slice(0, 5)
} finally {
  await browser.close()
  server.close()
  if (!KEEP) rmSync(outDir, { recursive: true, force: true })
  else result.outDir = outDir
}
console.log(JSON.stringify(result, null, 2))

function progress(msg) {
  if (VERBOSE) process.stderr.write(`[bench] ${msg}\n`)
}

function round(x) {
  return Math.round(x * 10) / 10
}

function stats(deltas) {
  const s = [...deltas].sort((a, b) => a - b)
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))]
  let dropped = 0
  for (const d of deltas) if (d > FRAME * 1.5) dropped += Math.floor(d / FRAME) - 1
  return { frames: deltas.length, medianMs: round(q(0.5)), p95Ms: round(q(0.95)), maxMs: round(s[s.length - 1]), droppedFrames: dropped }
}

async function scrollRun(page, kind, seconds) {
  const r = await page.evaluate(
    async ({ kind, seconds }) => {
      const grid = window.__bench.grid
      const tb = grid.table
      await tb.scrollTo(0, 0)
      await new Promise((r) => setTimeout(r, 300))
      const scroller = document.querySelector('.vxe-table--body-wrapper.body--wrapper .vxe-table--body-inner-wrapper')
      const max = scroller.scrollHeight - scroller.clientHeight
      const speed = kind === 'steady' ? 3000 : kind === 'row' ? 0 : max / seconds // px per second
      const deltas = []
      const t0 = performance.now()
      let last = t0
      await new Promise((resolve) => {
        const step = (now) => {
          deltas.push(now - last)
          last = now
          const top = kind === 'row' ? deltas.length * 34 : Math.min(max, ((now - t0) / 1000) * speed)
          tb.scrollTo(null, top)
          if (now - t0 < seconds * 1000) requestAnimationFrame(step)
          else resolve()
        }
        requestAnimationFrame(step)
      })
      await new Promise((r) => setTimeout(r, 200))
      const shown = document.querySelectorAll('.vxe-table--body-wrapper.body--wrapper [data-cell$=":name"]')
      return { deltas: deltas.slice(1), scrolledPx: Math.round(scroller.scrollTop), maxPx: max, firstShown: shown[0]?.getAttribute('data-cell') }
    },
    { kind, seconds },
  )
  return { ...stats(r.deltas), scrolledPx: r.scrolledPx, ofPx: r.maxPx, firstRowShownAfter: r.firstShown }
}

async function wheelRun(page, seconds) {
  await page.evaluate(() => window.__bench.grid.table.scrollTo(0, 0))
  await page.waitForTimeout(300)
  await page.mouse.move(600, 400)
  await page.evaluate(() => {
    window.__frames = []
    let last = performance.now()
    window.__framesOn = true
    const step = (now) => {
      window.__frames.push(now - last)
      last = now
      if (window.__framesOn) requestAnimationFrame(step)
    }
    requestAnimationFrame(step)
  })
  const end = Date.now() + seconds * 1000
  let events = 0
  while (Date.now() < end) {
    await page.mouse.wheel(0, 100)
    events++
  }
  const r = await page.evaluate(() => {
    window.__framesOn = false
    const scroller = document.querySelector('.vxe-table--body-wrapper.body--wrapper .vxe-table--body-inner-wrapper')
    return { deltas: window.__frames.slice(1), top: Math.round(scroller.scrollTop) }
  })
  await page.waitForTimeout(1500) // let the smooth-scroll animation finish
  return { ...stats(r.deltas), wheelEvents: events, scrolledPx: r.top }
}
