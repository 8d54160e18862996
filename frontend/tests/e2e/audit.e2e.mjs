// E2E: the security auditor's 审计 page. The clerk logs in and out (login,
// logout, a chain head signed on her key); the auditor finds those entries,
// narrows the list by object, checks the whole chain and its signatures
// (完整), and exports the log to .xlsx in the exports folder.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startXvfb, startApp, freePort, launchChromium, tempDataDir, devBin, outDir, openPage, loginClerk, loginDemo, logout } from './harness.mjs'

let xvfb, browser
before(async () => {
  xvfb = await startXvfb()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await xvfb?.stop()
})

test('the auditor reads, filters, verifies and exports the audit log', { timeout: 240_000 }, async () => {
  const dataDir = tempDataDir('audit')
  const app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
  try {
    const page = await openPage(browser, app)
    await loginClerk(page)
    await logout(page)

    await loginDemo(page, 'CAIJI-DEMO-AUDITOR')
    await page.getByTestId('menu-audit').click()
    const table = page.getByTestId('audit-table')
    await table.waitFor()
    // Newest first: the auditor's own login, then the clerk's logout.
    await page.getByTestId('audit-action').first().waitFor()
    const actions = await page.getByTestId('audit-action').allTextContents()
    assert.ok(actions.includes('退出登录'), `actions: ${actions.join(' / ')}`)
    assert.ok(actions.filter((a) => a === '登录').length >= 2, `two logins: ${actions.join(' / ')}`)
    assert.match(await table.textContent(), /张敏/)

    // Narrow to one account: every row left is about it.
    const rows = table.locator('.el-table__body tr')
    const all = await rows.count()
    const objects = await table.locator('.el-table__body tr td:nth-child(5)').allTextContents()
    const userObject = objects.find((o) => /^user:\d+$/.test(o.trim()))
    assert.ok(userObject, `an entry about a user: ${objects.join(' / ')}`)
    await page.getByTestId('audit-filter-object').fill(userObject.trim())
    await page.getByTestId('audit-search').click()
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audit-table"] .el-table__body tr').length < n, all)
    for (const o of await table.locator('.el-table__body tr td:nth-child(5)').allTextContents()) {
      assert.equal(o.trim(), userObject.trim())
    }

    // The chain and the signed heads check out.
    await page.getByTestId('audit-verify').click()
    await page.getByTestId('audit-report').waitFor()
    assert.equal(await page.getByTestId('audit-report-title').textContent(), '完整')
    assert.match(await page.getByTestId('audit-report-detail').textContent(), /签名已逐一核对/)
    await page.screenshot({ path: join(outDir, 'e2e-audit.png') })

    // Export: an .xlsx in <data dir>/导出/.
    await page.getByTestId('audit-export').click()
    const name = (await page.getByTestId('saved-file-name').textContent()).trim()
    const m = /^已保存：(.+\.xlsx)（/.exec(name)
    assert.ok(m, `notice: ${name}`)
    const path = join(dataDir, '导出', m[1])
    assert.ok(existsSync(path), path)
    assert.equal(readFileSync(path).subarray(0, 2).toString('latin1'), 'PK')
  } finally {
    await app.stop()
  }
})
