// E2E: data entry. A clerk types and pastes roster rows, sees a bad ID
// marked with its reason, the app is killed (SIGKILL, no shutdown) and
// started again, and every row is still there.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { startXvfb, startApp, freePort, launchChromium, tempDataDir, devBin, cliJSON, outDir, openPage, loginClerk, waitSaved, paste } from './harness.mjs'

let xvfb, browser
before(async () => {
  xvfb = await startXvfb()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await xvfb?.stop()
})

async function openRoster(page) {
  await page.getByTestId('menu-entry').click()
  await page.getByTestId('open-msj_roster').click()
  await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()
}

// Rows as Excel/WPS put them on the clipboard: tab-separated, CRLF.
const pasted = [
  ['李娜', '440524188001010014', '6228480402564890018', '某县农村信用社', '450.00', '410102001002', 'P2026001'],
  ['赵伟', '11010519491231002X', '6217000010001234567', '某县农村信用社', '1,200.50', '410102001002', 'P2026001'],
  ['孙丽', '110105194912310021', '6228480402564890018', '某县农村信用社', '300', '410102001002', 'P2026001'],
]
  .map((r) => r.join('\t'))
  .join('\r\n')

// A cell's table cell: an empty cell's text box has no height to click.
const cell = (page, row, field) => page.locator(`td:has(> div [data-cell="${row}:${field}"]), td:has([data-cell="${row}:${field}"])`).first()

test('a clerk types and pastes roster rows, sees a bad ID marked, and finds the rows after the app is killed', async () => {
  const dataDir = tempDataDir('e2e-entry')
  let app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
  let page
  try {
    page = await openPage(browser, app)
    await loginClerk(page)

    // The workbench lists what is due and overdue, with the monthly chart.
    await page.getByTestId('work-items').locator('tbody tr').first().waitFor()
    assert.ok(Number(await page.getByTestId('stat-due').locator('.n').textContent()) > 0)
    await page.getByTestId('monthly-progress-chart').locator('svg').first().waitFor()
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(outDir, 'e2e-entry-workbench.png'), fullPage: true })

    await openRoster(page)
    assert.match(await page.getByTestId('batch-title').textContent(), /个人补助资金发放表/)

    // Type one row from the keyboard: Tab moves right, Enter commits.
    await page.getByTestId('grid-add-row').click()
    await cell(page, 0, 'name').click()
    for (const v of ['王芳', '110105194912310022', '6228480402564890018', '某县农村信用社', '100', '410102001002', 'P2026001']) {
      await page.keyboard.type(v)
      await page.keyboard.press('Tab')
    }
    await page.keyboard.press('Escape')

    // Paste three rows below it: rows past the end are added.
    await page.getByTestId('grid-add-row').click()
    await cell(page, 1, 'name').click()
    await paste(page, pasted)
    await page.locator('[data-cell="3:name"]').waitFor()
    await waitSaved(page)
    await page.getByTestId('batch-rows').filter({ hasText: '4 行' }).waitFor()

    // The backend's validation marks the typed bad ID and the pasted one.
    const bad = page.locator('[data-cell="0:id_number"][data-issue="error"]')
    await bad.waitFor()
    assert.match(await bad.getAttribute('title'), /校验位/)
    const pastedBad = page.locator('[data-cell="3:id_number"][data-issue="error"]')
    await pastedBad.waitFor()
    assert.match(await pastedBad.getAttribute('title'), /校验位/)
    // The footer totals money exactly, in fen: 100 + 450 + 1,200.50 + 300.
    assert.match(await page.locator('[data-total="amount"]').first().textContent(), /2,050\.50/)
    assert.match(await page.getByTestId('batch-errors').textContent(), /错误 [1-9]/)
    await bad.hover()
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(outDir, 'e2e-entry-grid.png') })

    // Kill the app the hard way once the page says 已保存.
    await waitSaved(page)
    await page.close()
    app.proc.kill('SIGKILL')
    await new Promise((r) => app.proc.on('exit', r))

    app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
    page = await openPage(browser, app)
    await loginClerk(page)
    await openRoster(page)
    await page.getByTestId('batch-rows').filter({ hasText: '4 行' }).waitFor()
    const names = []
    for (let i = 0; i < 4; i++) names.push((await page.locator(`[data-cell="${i}:name"]`).textContent()).trim())
    assert.deepEqual(names.map((n) => n.replace(/^[×!]/, '')), ['王芳', '李娜', '赵伟', '孙丽'])
    // Personal data comes back masked.
    assert.match(await page.locator('[data-cell="1:id_number"]').textContent(), /440\*+0014/)
    await page.locator('[data-cell="0:id_number"][data-issue="error"]').waitFor()
    await page.screenshot({ path: join(outDir, 'e2e-entry-reopened.png') })

    // The CLI sees the same batch and the same finding.
    const batchId = await page.evaluate(() => Number(location.hash.split('/').pop()))
    app.proc.kill('SIGKILL')
    await new Promise((r) => app.proc.on('exit', r))
    let report
    try {
      cliJSON(devBin, ['validate', '--dataset', 'msj_roster', '--batch', String(batchId)], dataDir)
    } catch (e) {
      report = JSON.parse(e.stdout.toString())
    }
    assert.equal(report.rows, 4)
    assert.ok(report.errors.some((is) => is.row === 1 && is.field === 'id_number' && is.code === 'id_checksum'))
  } catch (e) {
    await page?.screenshot({ path: join(outDir, `e2e-entry-failure-${Date.now()}.png`) }).catch(() => {})
    e.message += `\n--- app log ---\n${app.log()}`
    throw e
  } finally {
    await page?.close().catch(() => {})
    await app.stop()
  }
})

// A 1×1 PNG: the attachment store sniffs the content, not the name.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

test('a clerk attaches a voucher to a village expense row from the grid', async () => {
  const dataDir = tempDataDir('e2e-voucher')
  const app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
  let page
  try {
    page = await openPage(browser, app)
    await loginClerk(page)
    await page.getByTestId('menu-entry').click()
    await page.getByTestId('open-cwgk_expense').click()
    await page.locator('[data-testid="batch"][data-ready="true"]').waitFor()
    await page.getByTestId('grid-add-row').click()
    await cell(page, 0, 'voucher').click()
    await page.keyboard.press('F2')
    await page.getByTestId('attachment-upload').waitFor()
    await page.getByTestId('attachment-file').setInputFiles({ name: '收据.png', mimeType: 'image/png', buffer: PNG })
    await page.getByTestId('attachment-preview').locator('img').waitFor()
    await page.screenshot({ path: join(outDir, 'e2e-entry-voucher.png') })
    await page.keyboard.press('Escape')
    await page.locator('[data-cell="0:voucher"]').filter({ hasText: '附件 1 个' }).waitFor()
    await waitSaved(page)
    // The stored voucher satisfies the required attachment: no mark on it.
    await page.locator('[data-cell="0:voucher"]:not([data-issue])').waitFor()
    await page.locator('[data-cell="0:summary"][data-issue="error"]').waitFor()
  } catch (e) {
    await page?.screenshot({ path: join(outDir, `e2e-voucher-failure-${Date.now()}.png`) }).catch(() => {})
    e.message += `\n--- app log ---\n${app.log()}`
    throw e
  } finally {
    await page?.close().catch(() => {})
    await app.stop()
  }
})

test('last year is closed until a reviewer records a lock exception; then the clerk may enter it', async () => {
  const dataDir = tempDataDir('e2e-lock')
  const app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
  let page
  try {
    page = await openPage(browser, app)
    const lastDec = `${new Date().getFullYear() - 1}-12`
    // Logged in as the clerk, the backend refuses to open a closed period.
    await loginClerk(page)
    const refused = await page.evaluate((p) => window.go.app.EntryService.OpenBatch('msj_roster', p).then(() => null, (e) => String(e.message ?? e)), lastDec)
    assert.equal(JSON.parse(refused).code, 'period_closed')
    await page.getByRole('button', { name: '退出登录' }).click()

    await page.getByTestId('demo-keys').getByText('CAIJI-DEMO-REVIEWER').click()
    await page.getByTestId('next').click()
    await page.getByTestId('cert-summary').waitFor()
    await page.getByTestId('password').fill('Caiji@2026demo')
    await page.keyboard.press('Enter')
    await page.getByTestId('open-lock-exception').click()
    await page.getByTestId('lock-exception-dataset').click()
    await page.getByRole('option', { name: '个人补助资金发放表' }).click()
    await page.getByTestId('lock-exception-period').click()
    await page.getByRole('option', { name: `${new Date().getFullYear() - 1}年12月` }).click()
    await page.getByPlaceholder('如 某纪整改〔2026〕3号').fill('演示县纪整改〔2026〕3号')
    await page.locator('textarea').fill('县纪委反馈 12 月发放金额有误，核实后更正。')
    await page.screenshot({ path: join(outDir, 'e2e-lock-exception.png') })
    await page.getByRole('button', { name: '登记', exact: true }).click()
    await page.getByText('已登记整改例外').waitFor()
    await page.getByRole('button', { name: '退出登录' }).click()

    await loginClerk(page)
    const opened = await page.evaluate((p) => window.go.app.EntryService.OpenBatch('msj_roster', p), lastDec)
    assert.equal(opened.editable, true)
    assert.match(opened.lockException.reference, /整改〔2026〕3号/)
  } catch (e) {
    await page?.screenshot({ path: join(outDir, `e2e-lock-failure-${Date.now()}.png`) }).catch(() => {})
    e.message += `\n--- app log ---\n${app.log()}`
    throw e
  } finally {
    await page?.close().catch(() => {})
    await app.stop()
  }
})
