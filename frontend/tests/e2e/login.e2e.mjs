// E2E: the real app (dev build in Wails browser mode under Xvfb) driven by
// Chromium through its real Go bindings.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { startXvfb, startApp, freePort, launchChromium, tempDataDir, devBin, cliJSON, outDir, loginDemo } from './harness.mjs'

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

test('USB-key login in demo mode, round trip to Go, menu by role, lock on key removal', async () => {
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

    // The demo keys are real SoftHSM2 tokens, listed through PKCS#11.
    await page.getByTestId('token-CAIJI-DEMO-REVIEWER').waitFor()
    const tokens = await page.evaluate(() => window.go.app.AuthService.Tokens())
    assert.equal(tokens.filter((t) => t.label.startsWith('CAIJI-DEMO-')).length, 5)

    // A wrong PIN is refused with the backend's reason, on screen.
    await page.getByTestId('token-CAIJI-DEMO-REVIEWER').click()
    await page.getByTestId('pin').fill('000000')
    await page.keyboard.press('Enter')
    await page.getByTestId('login-error').waitFor()
    assert.match(await page.getByTestId('login-error').textContent(), /PIN/)

    // A bound method that needs a login refuses with the typed envelope.
    const refused = await page.evaluate(() =>
      window.go.app.AdminService.ListUsers().then(() => null, (e) => (e instanceof Error ? e.message : String(e))),
    )
    assert.equal(JSON.parse(refused).code, 'not_logged_in')

    // Keyboard only from here: Enter after the PIN, the focus moves to the
    // password, Enter again logs in.
    await page.getByTestId('demo-keys').getByText('CAIJI-DEMO-REVIEWER').click()
    await page.getByTestId('pin').focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('cert-summary').waitFor()
    assert.match(await page.getByTestId('account-name').textContent(), /李强/)
    assert.match(await page.getByTestId('cert-days-left').textContent(), /剩余 \d+ 天/)
    await page.keyboard.type('Caiji@2026demo')
    await page.screenshot({ path: join(outDir, 'e2e-login-password.png') })
    await page.keyboard.press('Enter')
    await page.getByTestId('workbench').waitFor()

    // The header says who, where, and that this is demo mode.
    await page.locator('.header [data-testid="demo-badge"]').waitFor({ state: 'visible' })
    // A reviewer's header shows the live link to the (demo) platform.
    await page.getByTestId('sync-indicator').waitFor()
    assert.match(await page.getByTestId('sync-indicator').textContent(), /平台在线|平台离线|未连接平台/)
    assert.match(await page.getByTestId('header-user').textContent(), /李强.*演示县民政局/s)
    await page.waitForTimeout(400) // let Element Plus' tag transition finish for the screenshot

    const menu = await page.getByTestId('side-menu').textContent()
    for (const label of ['工作台', '审核', '同步', '账号与证书']) assert.ok(menu.includes(label), `menu has ${label}`)
    for (const label of ['数据填报', '审计', '系统管理']) assert.ok(!menu.includes(label), `menu lacks ${label}`)
    await page.screenshot({ path: join(outDir, 'e2e-workbench.png') })

    // My certificate, read from the key.
    await page.getByTestId('menu-account').click()
    await page.getByTestId('my-certificate').waitFor()
    assert.match(await page.getByTestId('my-certificate').textContent(), /李强[\s\S]*演示省级业务 CA[\s\S]*ECDSA P-256/)
    await page.screenshot({ path: join(outDir, 'e2e-my-certificate.png') })

    // A page the role may not open sends the reviewer back to the workbench.
    await page.evaluate(() => (window.location.hash = '#/admin'))
    await page.getByTestId('workbench').waitFor()

    // Pull the key out: the backend notices and the lock screen appears.
    execFileSync('softhsm2-util', ['--delete-token', '--token', 'CAIJI-DEMO-REVIEWER'], {
      env: { ...process.env, SOFTHSM2_CONF: join(dataDir, 'demo', 'softhsm2.conf') },
    })
    await page.getByTestId('lock-screen').waitFor({ timeout: 15000 })
    assert.match(await page.getByTestId('lock-reason').textContent(), /USB Key 已拔出/)
    await page.screenshot({ path: join(outDir, 'e2e-locked.png') })
    const locked = await page.evaluate(() =>
      window.go.app.AuthService.Certificate().then(() => null, (e) => (e instanceof Error ? e.message : String(e))),
    )
    assert.equal(JSON.parse(locked).code, 'session_locked')

    await page.getByTestId('lock-screen').getByRole('button', { name: '退出登录' }).click()
    await page.getByTestId('login-title').waitFor()
    assert.equal(await page.evaluate(() => window.go.app.SessionService.Current()), null)
  })
})

test('security admin: 三员分立 refusal from the backend is shown in the roles dialog', async () => {
  const dataDir = tempDataDir('e2e-admin')
  await withApp(dataDir, async (page) => {
    await page.getByTestId('token-CAIJI-DEMO-SECADMIN').waitFor()
    await loginDemo(page, 'CAIJI-DEMO-SECADMIN')
    await page.getByTestId('menu-admin').click()
    await page.getByTestId('user-table').locator('.el-table__row', { hasText: '张敏' }).waitFor()
    const rows = await page.getByTestId('user-table').locator('.el-table__row').count()
    assert.equal(rows, 5)
    await page.getByTestId('user-table').locator('.el-table__row', { hasText: '张敏' }).getByRole('button', { name: '角色授权' }).click()
    await page.getByTestId('role-auditor').click()
    await page.getByTestId('save-roles').click()
    await page.getByTestId('roles-error').waitFor()
    assert.match(await page.getByTestId('roles-error').textContent(), /三员|安全审计员/)
    await page.screenshot({ path: join(outDir, 'e2e-roles-conflict.png') })
  })
})

test('system admin binds a new certificate file to a new account', async () => {
  const dataDir = tempDataDir('e2e-sysadmin')
  await withApp(dataDir, async (page) => {
    // A certificate the demo CA issues with openssl, as a provincial CA hands
    // out a .cer file for a new clerk.
    const ca = join(dataDir, 'demo', 'ca')
    const work = tempDataDir('e2e-cert')
    execFileSync('openssl', ['req', '-new', '-utf8', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-subj', '/CN=刘洋/O=演示县民政局', '-keyout', join(work, 'key.pem'), '-out', join(work, 'req.csr')])
    writeFileSync(join(work, 'ext.cnf'), 'keyUsage=critical,digitalSignature\n')
    execFileSync('openssl', ['x509', '-req', '-in', join(work, 'req.csr'), '-CA', join(ca, 'ca-cert.pem'), '-CAkey', join(ca, 'ca-key.pem'),
      '-CAcreateserial', '-days', '365', '-extfile', join(work, 'ext.cnf'), '-outform', 'DER', '-out', join(work, 'liuyang.cer')])

    await page.getByTestId('token-CAIJI-DEMO-SYSADMIN').waitFor()
    await loginDemo(page, 'CAIJI-DEMO-SYSADMIN')
    await page.getByTestId('menu-admin').click()
    await page.getByTestId('new-user').click()
    await page.getByTestId('cert-file').setInputFiles(join(work, 'liuyang.cer'))
    await page.getByText('演示省级业务 CA（仅供演示）').waitFor()
    await page.getByRole('dialog').getByRole('textbox').nth(1).fill('Initial#2026pw')
    await page.screenshot({ path: join(outDir, 'e2e-new-user.png') })
    await page.getByRole('button', { name: '创建' }).click()
    await page.getByTestId('user-table').locator('.el-table__row', { hasText: '刘洋' }).waitFor()
    const row = await page.getByTestId('user-table').locator('.el-table__row', { hasText: '刘洋' }).textContent()
    assert.match(row, /未授权/)
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
