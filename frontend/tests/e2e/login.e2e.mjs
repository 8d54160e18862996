// E2E: the real app (dev build in Wails browser mode under Xvfb) driven by
// Chromium through its real Go bindings.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startXvfb, startApp, freePort, launchChromium, tempDataDir, devBin, cliJSON, outDir } from './harness.mjs'

let xvfb, browser
before(async () => {
  xvfb = await startXvfb()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await xvfb?.stop()
})

async function withApp(dataDir, fn) {
  const app = await startApp({ bin: devBin, display: xvfb.display, dataDir, port: await freePort() })
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
  try {
    await page.goto(app.url)
    await fn(page, app)
  } catch (e) {
    await page.screenshot({ path: join(outDir, `e2e-failure-${Date.now()}.png`) }).catch(() => {})
    e.message += `\n--- app log ---\n${app.log()}`
    throw e
  } finally {
    await page.close()
    await app.stop()
  }
}

test('login screen, round trip to Go, demo login, menu by role, logout', async () => {
  const dataDir = tempDataDir('e2e')
  await withApp(dataDir, async (page) => {
    await page.getByTestId('login-title').waitFor()
    assert.equal(await page.getByTestId('login-title').textContent(), '登录')
    assert.equal((await page.getByTestId('demo-badge').textContent()).trim(), '演示模式')

    // Round trip: the installation id the page gets from Go is the one in
    // the SQLite database that the CLI reads from the same data directory.
    const info = await page.evaluate(() => window.go.app.SystemService.Info())
    assert.equal(info.mode, 'demo')
    assert.equal(info.dataDir, dataDir)
    assert.match(info.installationId, /^[0-9a-f]{32}$/)
    assert.equal(cliJSON(devBin, ['db', 'check'], dataDir).installation_id, info.installationId)
    assert.match(await page.getByTestId('version').textContent(), new RegExp(info.build.version.replace(/\./g, '\\.')))

    // A bound method that needs a login refuses with the typed envelope.
    const refused = await page.evaluate(() =>
      window.go.app.SessionService.DemoLogin('nobody').then(() => null, (e) => (e instanceof Error ? e.message : String(e))),
    )
    assert.equal(JSON.parse(refused).code, 'bad_input')

    await page.getByTestId('demo-demo-reviewer').click()
    await page.screenshot({ path: join(outDir, 'e2e-login.png') })
    await page.keyboard.press('Enter')
    await page.getByTestId('workbench').waitFor()
    assert.match(await page.getByTestId('header-user').textContent(), /李强（演示）/)

    // The header says who, where, and that this is demo mode.
    await page.locator('.header [data-testid="demo-badge"]').waitFor({ state: 'visible' })
    assert.equal((await page.locator('.header [data-testid="demo-badge"]').textContent()).trim(), '演示模式')
    assert.equal((await page.getByTestId('platform-state').textContent()).trim(), '平台未连接')
    assert.match(await page.getByTestId('header-user').textContent(), /演示县民政局/)
    await page.waitForTimeout(400) // let Element Plus' tag transition finish for the screenshot

    const menu = await page.getByTestId('side-menu').textContent()
    for (const label of ['工作台', '审核', '同步']) assert.ok(menu.includes(label), `menu has ${label}`)
    for (const label of ['数据填报', '审计', '系统管理']) assert.ok(!menu.includes(label), `menu lacks ${label}`)
    await page.screenshot({ path: join(outDir, 'e2e-workbench.png') })

    // An unbuilt page says so plainly.
    await page.getByTestId('menu-review').click()
    await page.getByTestId('coming-review').waitFor()
    assert.match(await page.getByTestId('coming-review').textContent(), /尚未开放/)

    // A page the role may not open sends the reviewer back to the workbench.
    await page.evaluate(() => (window.location.hash = '#/audit'))
    await page.getByTestId('workbench').waitFor()

    await page.getByTestId('logout').click()
    await page.getByTestId('login-title').waitFor()
    assert.equal(await page.evaluate(() => window.go.app.SessionService.Current()), null)
  })
})

test('a corrupt database is explained on screen, not a blank window', async () => {
  const dataDir = tempDataDir('e2e-corrupt')
  writeFileSync(join(dataDir, 'caiji.db'), 'this is not a database, it is a damaged file '.repeat(200))
  await withApp(dataDir, async (page) => {
    const problem = page.getByTestId('startup-problem')
    await problem.waitFor()
    const text = await problem.textContent()
    assert.match(text, /程序无法正常启动/)
    assert.match(text, /已损坏/)
    assert.match(text, /store_corrupt/)
    await page.screenshot({ path: join(outDir, 'e2e-corrupt-db.png') })
  })
})
