import type zhCN from './zh-CN'

// Same shape as zh-CN (checked by the compiler and by a unit test).
const en: typeof zhCN = {
  app: {
    name: 'Caiji',
    fullName: 'Internet + Supervision data collection client',
    demoMode: 'Demo mode',
    demoModeHint: 'Demo mode uses demo identities and demo data and does not reach the provincial platform. Never enter real data.',
  },
  login: {
    title: 'Log in',
    usbKeyHint: 'In production, insert your USB key (CA certificate) and enter its PIN to log in.',
    usbKeyNotReady: 'USB key login is being built; this version cannot log in outside demo mode.',
    demoIdentity: 'Demo identity',
    chooseIdentity: 'Choose a demo identity',
    enter: 'Enter',
    entering: 'Entering…',
    version: 'Version {version}',
    dataDir: 'Data directory: {dir}',
  },
  startup: {
    title: 'The program could not start',
    hint: 'Please pass the following to your system administrator.',
    code: 'Error code: {code}',
  },
  menu: {
    workbench: 'Workbench',
    entry: 'Data entry',
    review: 'Review',
    sync: 'Sync',
    audit: 'Audit',
    admin: 'Administration',
  },
  role: {
    clerk: 'Clerk',
    reviewer: 'Reviewer',
    sysadmin: 'System admin',
    secadmin: 'Security admin',
    auditor: 'Security auditor',
  },
  header: {
    platform: {
      not_configured: 'Platform not connected',
      online: 'Online',
      offline: 'Offline',
    },
    logout: 'Log out',
    language: 'Language',
  },
  workbench: {
    welcome: 'Hello, {name}',
    unit: 'Unit: {unit}',
    roles: 'Roles: {roles}',
    dueTitle: 'Due and deadlines',
    dueEmpty: 'Once data entry is available, this lists due, overdue and returned work per dataset and period.',
  },
  coming: {
    title: '{page} (being built)',
    entry: 'Enter or import livelihood-fund, village-finance and poverty-alleviation data per dataset, unit and period; drafts stay on this PC.',
    review: 'Reviewers check batches here, approve or return them, and sign with their USB key.',
    sync: 'What is queued, sending, accepted and rejected, with the platform\'s receipts and reasons.',
    audit: 'Security auditors search login and admin records here and verify the log chain.',
    admin: 'Org units, user accounts, role assignments and program updates.',
    notYet: 'This function is not available yet and holds no data.',
  },
  errors: {
    internal: 'Internal error. Please contact your system administrator.',
    bad_input: 'Invalid input.',
    not_logged_in: 'Please log in first.',
    forbidden: 'Your role may not do this.',
    demo_only: 'This is only possible in demo mode.',
    not_available: 'Not available yet.',
    store_corrupt: 'The database file is damaged. Ask your administrator to restore a backup.',
    store_too_new: 'The database was made by a newer version. Install the latest version.',
    store_locked: 'The database is in use by another program.',
    config_invalid: 'The configuration file is invalid.',
    data_dir_unusable: 'The data directory cannot be used.',
  },
}

export default en
