// Benchmark (make bench, not make test): a clerk opens a 100,000-row roster
// batch in the real app (dev build, browser mode, Chromium). Prints JSON:
// time to the first rows on screen, to every row loaded, and frame times
// while scrolling through it.
import { execFileSync } from 'node:child_process'
import { startXvfb, startApp, freePort, launchChromium, tempDataDir, devBin, repoRoot } from '../e2e/harness.mjs'

const ROWS = Number(process.env.ROWS ?? 100000)
const xvfb = await startXvfb()
const browser = await launchChromium()
const dataDir = tempDataDir('bench-open')
// First start provisions the demo accounts; then seed the batch.
let app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
await app.stop()
const seedStart = Date.now()
const batchId = execFileSync('go', ['run', './scripts/benchseed', '--data-dir', dataDir, '--rows', String(ROWS)], { cwd: repoRoot }).toString().trim()
const seedMs = Date.now() - seedStart
app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
try {
  await page.goto(app.url)
  await page.getByTestId('demo-keys').getByText('CAIJI-DEMO-CLERK').click()
  await page.getByTestId('next').click()
  await page.getByTestId('cert-summary').waitFor()
  await page.getByTestId('password').fill('Caiji@2026demo')
  await page.keyboard.press('Enter')
  await page.getByTestId('workbench').waitFor()

  const t0 = Date.now()
  await page.evaluate((id) => (location.hash = `#/entry/batch/${id}`), batchId)
  await page.locator('[data-cell="0:name"]').waitFor()
  const firstRowsMs = Date.now() - t0
  await page.locator('[data-testid="batch"][data-ready="true"]').waitFor({ timeout: 120000 })
  const allLoadedMs = Date.now() - t0
  // Validation of the whole batch lands after the rows; wait for it so the
  // scroll measures scrolling only.
  await page.waitForFunction(() => !document.querySelector('[data-testid="batch-validate"]')?.classList.contains('is-loading'))
  await page.waitForTimeout(500)

  // Again, with the code already loaded: what a clerk sees the second time.
  await page.evaluate(() => (location.hash = '#/workbench'))
  await page.getByTestId('workbench').waitFor()
  const t1 = Date.now()
  await page.evaluate((id) => (location.hash = `#/entry/batch/${id}`), batchId)
  await page.locator('[data-cell="0:name"]').waitFor()
  const firstRowsWarmMs = Date.now() - t1
  await page.locator('[data-testid="batch"][data-ready="true"]').waitFor({ timeout: 120000 })
  const allLoadedWarmMs = Date.now() - t1
  await page.waitForFunction(() => !document.querySelector('[data-testid="batch-validate"]')?.classList.contains('is-loading'))
  await page.waitForTimeout(500)

  // Scroll the grid body for 3 s and record frame intervals.
  const frames = await page.evaluate(async () => {
    const body = document.querySelector('.vxe-table--body-wrapper.body--wrapper .vxe-table--body-inner-wrapper')
    const deltas = []
    let last = performance.now()
    const end = last + 3000
    return await new Promise((resolve) => {
      function tick(now) {
        deltas.push(now - last)
        last = now
        if (!body) throw new Error('grid body not found')
        body.scrollTop += 400
        if (now < end) requestAnimationFrame(tick)
        else resolve({ deltas, scrolledTo: body.scrollTop })
      }
      requestAnimationFrame(tick)
    })
  })
  const { deltas, scrolledTo } = frames
  deltas.sort((a, b) => a - b)
  const pick = (q) => Math.round(deltas[Math.floor(q * (deltas.length - 1))] * 10) / 10
  console.log(
    JSON.stringify({
      rows: ROWS,
      seedMs,
      firstRowsMs,
      allLoadedMs,
      firstRowsWarmMs,
      allLoadedWarmMs,
      scroll: { px: Math.round(scrolledTo), frames: deltas.length, medianMs: pick(0.5), p95Ms: pick(0.95), over50ms: deltas.filter((d) => d > 50).length },
    }),
  )
} finally {
  await page.close()
  await app.stop()
  await browser.close()
  await xvfb.stop()
}
