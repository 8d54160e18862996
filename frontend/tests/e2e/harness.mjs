// Starts what the E2E and smoke tests need, for real: an Xvfb display, the
// Caiji binary on a fresh data directory, and Debian's Chromium.
import { spawn, execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import { chromium } from 'playwright-core'
import { before, after } from 'node:test'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const devBin = process.env.CAIJI_DEV_BIN ?? join(repoRoot, 'build/bin/caiji-dev')
export const prodBin = process.env.CAIJI_PROD_BIN ?? join(repoRoot, 'build/bin/caiji')
export const outDir = process.env.CAIJI_TEST_OUT ?? join(repoRoot, 'test-results')
mkdirSync(outDir, { recursive: true })

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export function tempDataDir(name) {
  return mkdtempSync(join(tmpdir(), `caiji-${name}-`))
}

// startXvfb lets Xvfb pick a free display and tell us which (-displayfd).
export async function startXvfb() {
  const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1366x900x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  const display = await new Promise((res, rej) => {
    let buf = ''
    const timer = setTimeout(() => rej(new Error('Xvfb did not start within 15 s')), 15000)
    proc.stdio[3].on('data', (d) => {
      buf += d
      if (buf.includes('\n')) {
        clearTimeout(timer)
        res(':' + buf.trim())
      }
    })
    proc.on('exit', (code) => rej(new Error(`Xvfb exited with ${code}`)))
  })
  return { display, stop: () => stopProc(proc) }
}

export async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => res(port))
    })
    srv.on('error', rej)
  })
}

// startApp runs a Caiji binary on display. With port set (dev build only),
// Wails also serves the app and its bindings to browsers on that port.
export async function startApp({ bin, display, dataDir, port }) {
  const env = {
    ...process.env,
    DISPLAY: display,
    CAIJI_DATA_DIR: dataDir,
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
    LIBGL_ALWAYS_SOFTWARE: '1',
  }
  if (port) {
    env.devserver = `127.0.0.1:${port}`
    env.assetdir = join(repoRoot, 'frontend/dist')
  }
  const proc = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  proc.stdout.on('data', (d) => (log += d))
  proc.stderr.on('data', (d) => (log += d))
  const exited = new Promise((r) => proc.on('exit', (code) => r(code)))
  const app = { proc, log: () => log, stop: () => stopProc(proc) }
  if (port) {
    const url = `http://127.0.0.1:${port}/`
    const deadline = Date.now() + 60000
    for (;;) {
      const code = await Promise.race([exited, sleep(250).then(() => undefined)])
      if (code !== undefined) throw new Error(`app exited (${code}) before serving:\n${log}`)
      try {
        if ((await fetch(url)).ok) break
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`app did not serve ${url} within 60 s:\n${log}`)
    }
    app.url = url
  }
  return app
}

async function stopProc(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const done = new Promise((r) => proc.on('exit', r))
  proc.kill('SIGTERM')
  const t = setTimeout(() => proc.kill('SIGKILL'), 5000)
  await done
  clearTimeout(t)
}

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

// screenshotRoot grabs the whole X display (ImageMagick's import).
export function screenshotRoot(display, file) {
  execFileSync('import', ['-display', display, '-window', 'root', file])
}

// imageStats: number of distinct colours and the overall standard
// deviation (0..1). A blank or single-colour screen has 1 colour and ~0.
export function imageStats(file) {
  const out = execFileSync('convert', [file, '-format', '%k %[fx:standard_deviation]', 'info:']).toString().trim()
  const [colors, stddev] = out.split(' ')
  return { colors: Number(colors), stddev: Number(stddev) }
}

// cli runs a headless subcommand of the same binary and parses its JSON.
export function cliJSON(bin, args, dataDir) {
  const out = execFileSync(bin, [...args, '--json', '--data-dir', dataDir]).toString()
  return JSON.parse(out)
}

// Shared steps of the browser tests.

/** A page of the app in Chromium, zh-CN, the size of a clerk's screen. */
export async function openPage(browser, app) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  await page.goto(app.url)
  return page
}

/** Logs in as the demo clerk 张敏 with her USB key (demo PIN) and password. */
export async function loginClerk(page) {
  await loginDemo(page, 'CAIJI-DEMO-CLERK')
}

/** Logs in with the demo USB key labelled label (README's table) and the demo password. */
export async function loginDemo(page, label) {
  await page.getByTestId('demo-keys').getByText(label).click()
  await page.getByTestId('next').click()
  await page.getByTestId('cert-summary').waitFor()
  await page.getByTestId('password').fill('Caiji@2026demo')
  await page.keyboard.press('Enter')
  await page.getByTestId('workbench').waitFor()
}

/** Waits until the batch editor says every edit is saved. */
export async function waitSaved(page) {
  await page.waitForFunction(() => document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') === 'saved')
}

/** Logs out and waits for the login screen. */
export async function logout(page) {
  await page.getByTestId('logout').click()
  await page.getByTestId('demo-keys').waitFor()
}

// The month being collected is last month; tests work in the current one
// (Beijing time).
const beijing = new Date(Date.now() + 8 * 3600 * 1000)
export const periodText = `${beijing.getUTCFullYear()}年${beijing.getUTCMonth() + 1}月`

/** Opens the batch of dataset for the current month from 数据填报. */
export async function openBatch(page, dataset) {
  await page.getByTestId('menu-entry').click()
  await page.getByTestId(`period-${dataset}`).click()
  await page.getByRole('option', { name: periodText, exact: true }).click()
  await page.getByTestId(`open-${dataset}`).click()
  await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()
  assert.match(await page.getByTestId('batch-title').textContent(), new RegExp(periodText))
}

/** The record form's text box (Element Plus puts the test id on the <input> itself, a date picker on its wrapper). */
export const formInput = (page, code) => page.locator(`input[data-testid="form-${code}"], [data-testid="form-${code}"] input`).first()

/** Fills one field of the record form; el-input commits on change (blur). */
export async function fillField(page, code, value) {
  const input = formInput(page, code)
  await input.fill(value)
  await input.press('Tab')
}

/** Enters project MSJ-2026-001 (城乡低保), which every test roster row points to, and waits until it is saved. */
export async function enterProject(page) {
  await openBatch(page, 'msj_project')
  await page.getByTestId('form-add').click()
  await formInput(page, 'project_code').waitFor()
  await fillField(page, 'project_code', 'MSJ-2026-001')
  await fillField(page, 'project_name', '城乡低保')
  await page.getByTestId('form-fund_category').click()
  await page.getByRole('option', { name: '社会救助', exact: true }).click()
  await fillField(page, 'county_code', '410102')
  await fillField(page, 'department', '民政局')
  await fillField(page, 'total_amount', '5000000')
  // The date picker drops the test id: find it by its label.
  await page.locator('.el-form-item', { has: page.locator('label', { hasText: /^开始日期$/ }) }).locator('input').click()
  await page.keyboard.type(`${beijing.getUTCFullYear()}-01-01`)
  await page.keyboard.press('Enter')
  await page.getByTestId('batch-rows').filter({ hasText: '1 行' }).waitFor()
  await waitSaved(page)
}

/** Pastes text (tab-separated, as Excel/WPS put it on the clipboard) into the grid's editor. */
export async function paste(page, text) {
  await page.getByTestId('grid-editor').evaluate((el, t) => {
    const dt = new DataTransfer()
    dt.setData('text/plain', t)
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }))
  }, text)
}

// useApp registers, for one E2E file, the start of Xvfb, Chromium and the
// dev app on a fresh data directory (before) and their stop (after).
// ready(ctx) is called with page, app and dataDir once they run;
// ctx.run(name, body) keeps a screenshot of a failure and adds the app's log.
export function useApp(name, ready) {
  const ctx = { xvfb: null, browser: null, app: null, page: null, dataDir: '' }
  before(async () => {
    ctx.xvfb = await startXvfb()
    ctx.browser = await launchChromium()
    ctx.dataDir = tempDataDir(name)
    ctx.app = await startApp({ bin: devBin, display: ctx.xvfb.display, dataDir: ctx.dataDir, port: await freePort() })
    ctx.page = await openPage(ctx.browser, ctx.app)
    ready?.(ctx)
  })
  after(async () => {
    await ctx.page?.close().catch(() => {})
    await ctx.app?.stop()
    await ctx.browser?.close()
    await ctx.xvfb?.stop()
  })
  ctx.run = async (label, body) => {
    try {
      await body()
    } catch (e) {
      await ctx.page?.screenshot({ path: join(outDir, `e2e-${label}-failure-${Date.now()}.png`) }).catch(() => {})
      e.message += `\n--- app log ---\n${ctx.app?.log()}`
      throw e
    }
  }
  return ctx
}

// A cell's table cell: an empty cell's text box has no height to click.
export const cell = (page, row, field) => page.locator(`td:has([data-cell="${row}:${field}"])`).first()

// The data-testid of the element holding the keyboard focus.
export const focusedTestId = (page) => page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? '')
