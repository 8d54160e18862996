// Desktop smoke: the production binary opens its window under Xvfb; the
// screenshot is saved and must not be blank.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startXvfb, startApp, tempDataDir, prodBin, screenshotRoot, imageStats, outDir } from './harness.mjs'

test('production window renders under Xvfb', async () => {
  const xvfb = await startXvfb()
  const app = await startApp({ bin: prodBin, display: xvfb.display, dataDir: tempDataDir('smoke') })
  try {
    const file = join(outDir, 'desktop-smoke.png')
    // The webview paints asynchronously; poll until the screen has content
    // (a fixed sleep would be either flaky or slow).
    let stats = { colors: 0, stddev: 0 }
    for (let i = 0; i < 60 && !(stats.colors > 50 && stats.stddev > 0.05); i++) {
      await new Promise((r) => setTimeout(r, 500))
      assert.equal(app.proc.exitCode, null, `app exited early:\n${app.log()}`)
      screenshotRoot(xvfb.display, file)
      stats = imageStats(file)
    }
    assert.ok(stats.colors > 50, `screenshot ${file} looks blank: ${stats.colors} colours\n${app.log()}`)
    assert.ok(stats.stddev > 0.05, `screenshot ${file} looks flat: stddev ${stats.stddev}`)
  } finally {
    await app.stop()
    await xvfb.stop()
  }
})
