'use strict';
// The OrleansWg console: reads and changes the cluster through the admin API, with the console's
// cookie and its antiforgery token. Text from the API is only ever set as text, never as HTML.

const PAGE = 50;
const REFRESH_MS = 1000;
let csrf = null;
let tab = 'servers';
const offsets = { users: 0, sessions: 0 };
let detailsUser = null;
// Whether the message shown is a failed refresh's, which the next refresh that works takes away.
let refreshFailed = false;

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function row(cells, attributes = {}) {
  const tr = el('tr', null, attributes);
  for (const cell of cells) tr.append(cell instanceof Node ? wrap(cell) : el('td', cell ?? ''));
  return tr;
}

function wrap(node) {
  const td = el('td');
  td.append(node);
  return td;
}

function button(label, action, attributes = {}) {
  const b = el('button', label, { type: 'button', ...attributes });
  b.addEventListener('click', action);
  return b;
}

function buttons(...list) {
  const span = el('span');
  span.append(...list);
  return span;
}

function say(text, isError = false) {
  const message = $('#message');
  message.textContent = text;
  message.className = isError ? 'error' : '';
  refreshFailed = false;
}

// Asked for with the first call that needs it, so a console that could not reach the Gateway at first heals with its next refresh.
async function antiforgeryToken() {
  csrf ??= (await send('GET', '/admin/csrf')).data.token;
  return csrf;
}

async function api(method, path, body) {
  await antiforgeryToken();
  return send(method, path, body);
}

async function send(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: { ...(csrf ? { 'X-CSRF-Token': csrf } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    location.assign('/admin/login');
    throw new Error('logged out');
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    const errors = problem.errors ? Object.entries(problem.errors).map(([field, messages]) => `${field}: ${messages.join(', ')}`).join('; ') : '';
    throw new Error(`${problem.detail || problem.title || response.statusText}${errors ? ` (${errors})` : ''}`);
  }
  const total = response.headers.get('X-Total-Count');
  // No content (204, or a 201 that only says it made something) is no data.
  const text = await response.text();
  const data = text === '' ? null : JSON.parse(text);
  return { data, total: total === null ? null : Number(total) };
}

async function act(what, method, path, body) {
  try {
    await api(method, path, body);
    say(`${what}: done`);
  } catch (error) {
    say(`${what}: ${error.message}`, true);
  }
  await refresh();
}

const ago = (time) => (time ? `${Math.max(0, Math.round((Date.now() - Date.parse(time)) / 1000))} s ago` : 'never');
const when = (time) => (time ? new Date(time).toLocaleString() : '');
const bytes = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`);
const enc = encodeURIComponent;
const rates = (limits) => (limits.downMbps || limits.upMbps ? `↓ ${limits.downMbps ?? '–'} / ↑ ${limits.upMbps ?? '–'} Mbit/s` : 'none');
// Whole numbers go as numbers; anything else as typed, for the API to refuse with its reason.
const whole = (text) => (text.trim() === '' ? null : /^\d+$/.test(text.trim()) ? Number(text.trim()) : text);

function load(section, rows, table = `#${section} > table`) {
  $(`${table} > tbody`).replaceChildren(...rows);
}

function pager(section, total) {
  const span = $(`#${section} .pager`);
  const from = offsets[section];
  span.replaceChildren(
    button('‹ previous', () => { offsets[section] = Math.max(0, from - PAGE); refresh(); }, from === 0 ? { disabled: '' } : {}),
    el('span', total === 0 ? 'none' : `${from + 1}–${Math.min(from + PAGE, total)} of ${total}`),
    button('next ›', () => { offsets[section] = from + PAGE; refresh(); }, from + PAGE >= total ? { disabled: '' } : {}));
}

function capacityBar(sessions, capacity) {
  const span = el('span');
  const bar = el('span', null, { class: sessions >= capacity ? 'bar full' : 'bar' });
  const fill = el('span');
  fill.style.width = `${capacity > 0 ? Math.min(100, (100 * sessions) / capacity) : 100}%`;
  bar.append(fill);
  span.append(bar, el('span', `${sessions} / ${capacity}`, { class: 'count' }));
  return span;
}

async function servers() {
  const { data } = await api('GET', '/v1/admin/servers');
  load('servers', data.map((s) => row([
    s.id,
    el('span', s.status, { class: `status status-${s.status}` }),
    s.group,
    s.wireGuard,
    capacityBar(s.sessions, s.capacity),
    ago(s.lastSeen),
    when(s.certificateExpiresAt),
    !may('ManageServers') ? '' : buttons(
      s.draining
        ? button('Resume', () => act(`resume ${s.id}`, 'DELETE', `/v1/admin/servers/${enc(s.id)}/drain`), { class: 'resume' })
        : button('Drain', () => act(`drain ${s.id}`, 'POST', `/v1/admin/servers/${enc(s.id)}/drain`), { class: 'drain' }),
      button('Join token', () => joinToken(s.id), { class: 'join-token' }),
      button('Revoke', () => {
        if (confirm(`Revoke the node of ${s.id}? Every silo refuses it at once and its sessions move; it joins again only with a new join token.`)) {
          act(`revoke ${s.id}`, 'POST', `/v1/admin/servers/${enc(s.id)}/revoke`);
        }
      }, { class: 'revoke' })),
  ], { 'data-server': s.id })));
}

// A join token is shown this once, for the operator to put in the node's Node__JoinToken file.
async function joinToken(server) {
  try {
    const { data } = await api('POST', `/v1/admin/servers/${enc(server)}/join-token`, {});
    $('#join-token .token').textContent = data.token;
    $('#join-token .server').textContent = server;
    $('#join-token').hidden = false;
    say(`join token for ${server}: made, good until ${when(data.expiresAt)}`);
  } catch (error) {
    say(`join token for ${server}: ${error.message}`, true);
  }
}

function list(text) {
  return text.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
}

async function users() {
  const filter = $('#users .filter').value.trim();
  const { data, total } = await api('GET', `/v1/admin/users?offset=${offsets.users}&limit=${PAGE}${filter ? `&q=${enc(filter)}` : ''}`);
  pager('users', total);
  load('users', data.map((u) => row([
    u.name,
    u.locked ? 'locked'
      : u.newAddressesLockedUntil ? `locked out of new addresses until ${new Date(u.newAddressesLockedUntil).toLocaleString()}`
      : u.lockouts.length > 0 ? `${u.lockouts.length} address(es) locked out` : 'active',
    el('span', u.sso === 'allowed' ? 'single sign-on'
      : u.sso ? 'single sign-on, refused by the provider'
      : u.mfa.enrolled ? `password and MFA, ${u.mfa.recoveryCodesLeft} recovery codes left` : 'password', { class: 'login' }),
    u.sessions.length,
    u.permissions.servers.join(', '),
    u.permissions.groups.join(', '),
    el('span', rates(u.limits), { class: 'limits' }),
    buttons(
      button('Details', () => { detailsUser = u.name; refresh(); }, { class: 'details' }),
      button('Set password', () => {
        const password = prompt(`New password for ${u.name} (8 or more characters); their sessions end:`);
        if (password) act(`password of ${u.name}`, 'PUT', `/v1/admin/users/${enc(u.name)}/password`, { password });
      }),
      !may('ManageUsers') ? '' : button('Permissions', () => {
        const servers = prompt(`Servers ${u.name} may use (comma-separated; none: the generic pool):`, u.permissions.servers.join(', '));
        if (servers === null) return;
        const groups = prompt(`Server groups ${u.name} may use (comma-separated):`, u.permissions.groups.join(', '));
        if (groups === null) return;
        act(`permissions of ${u.name}`, 'PUT', `/v1/admin/users/${enc(u.name)}/permissions`, { servers: list(servers), groups: list(groups) });
      }),
      !may('ManageUsers') ? '' : button('Limits', () => {
        const down = prompt(`Download limit of ${u.name} in Mbit/s (empty: none of their own; their server group's applies):`, u.limits.downMbps ?? '');
        if (down === null) return;
        const up = prompt(`Upload limit of ${u.name} in Mbit/s (empty: none of their own):`, u.limits.upMbps ?? '');
        if (up === null) return;
        act(`limits of ${u.name}`, 'PUT', `/v1/admin/users/${enc(u.name)}/limits`, { downMbps: whole(down), upMbps: whole(up) });
      }, { class: 'set-limits' }),
      u.locked || u.lockouts.length > 0 || u.newAddressesLockedUntil
        ? button('Unlock', () => act(`unlock ${u.name}`, 'DELETE', `/v1/admin/users/${enc(u.name)}/lock`), { class: 'unlock' })
        : button('Lock', () => act(`lock ${u.name}`, 'POST', `/v1/admin/users/${enc(u.name)}/lock`), { class: 'lock' }),
      !u.mfa.enrolled || !may('HelpUsers') ? '' : button('Reset MFA', () => {
        if (confirm(`Forget the one-time codes of ${u.name} (a lost phone)? They connect with their password alone until they enroll again.`)) {
          act(`reset MFA of ${u.name}`, 'DELETE', `/v1/admin/users/${enc(u.name)}/mfa`);
        }
      }, { class: 'reset-mfa' }),
      !may('ManageUsers') ? '' : button('Delete', () => {
        if (confirm(`Delete ${u.name} and end their sessions?`)) act(`delete ${u.name}`, 'DELETE', `/v1/admin/users/${enc(u.name)}`);
      }, { class: 'delete' })),
  ], { 'data-user': u.name })));
  await userDetails();
}

// The group whose login policy the users' tab shows, as last loaded.
let loginGroup = '';

async function groupLogin() {
  if (loginGroup === '') return;
  const [{ data: mfa }, { data: sso }] = await Promise.all(['mfa', 'sso'].map((policy) => api('GET', `/v1/admin/groups/${enc(loginGroup)}/${policy}`)));
  $('#group-login .state').textContent = `${loginGroup}: ${mfa.required ? 'requires MFA' : 'does not require MFA'}, `
    + `${sso.required ? 'requires single sign-on' : 'does not require single sign-on'}`;
}

async function setGroupLogin(policy, required) {
  const form = $('#group-login');
  if (!form.reportValidity()) return;
  loginGroup = form.group.value.trim();
  await act(`${policy} policy of ${loginGroup}`, 'PUT', `/v1/admin/groups/${enc(loginGroup)}/${policy}`, { required });
  await groupLogin().catch((error) => say(error.message, true));
}

async function userDetails() {
  const panel = $('#user-details');
  panel.hidden = detailsUser === null;
  if (detailsUser === null) return;
  const [{ data: user }, { data: logins }] = await Promise.all([
    api('GET', `/v1/admin/users/${enc(detailsUser)}`),
    may('ReadAudit') ? api('GET', `/v1/admin/audit?user=${enc(detailsUser)}&kind=login&limit=10`) : { data: [] },
  ]);
  $('h3', panel).textContent = user.name;
  $('.sessions', panel).replaceChildren(...(user.sessions.length === 0
    ? [el('li', 'none')] : user.sessions.map((s) => el('li', `${s.sessionId} on ${s.serverId}`))));
  $('.logins tbody', panel).replaceChildren(...logins.map((e) => row([when(e.at), e.outcome, e.source])));
}

async function sessions() {
  const filter = $('#sessions .filter').value.trim();
  const { data, total } = await api('GET', `/v1/admin/sessions?offset=${offsets.sessions}&limit=${PAGE}${filter ? `&q=${enc(filter)}` : ''}`);
  pager('sessions', total);
  load('sessions', data.map((s) => row([
    s.user, s.serverId, s.address, when(s.createdAt), ago(s.lastHandshake), bytes(s.receivedBytes), bytes(s.sentBytes),
    el('span', rates(s.limits), { class: 'limits' }),
    !may('HelpUsers') ? '' : button('Close', () => act(`close session of ${s.user}`, 'DELETE', `/v1/admin/sessions/${s.sessionId}`), { class: 'close' }),
  ], { 'data-session': s.sessionId, 'data-user': s.user })));
}

async function audit() {
  const form = $('#audit-filter');
  const query = new URLSearchParams({ limit: '200' });
  const user = form.user.value.trim();
  const kind = form.kind.value.trim();
  if (user) query.set('user', user);
  if (kind) query.set('kind', kind);
  if (form.since.value) query.set('since', new Date(form.since.value).toISOString());
  const { data } = await api('GET', `/v1/admin/audit?${query}`);
  load('audit', data.map((e) => {
    const tr = row([when(e.at), e.kind, e.count > 1 ? `${e.outcome} ×${e.count}` : e.outcome, e.actor ? `${e.actor} (${e.actorRole ?? '?'})` : '', e.user, e.source, e.sessionId, e.serverId, e.detail]);
    tr.lastChild.className = 'detail';
    return tr;
  }));
}

// The policy's form is filled when a group is loaded, not on every refresh, so that an admin's edits stay.
let dnsGroup = '';
const dnsPath = () => (dnsGroup === '' ? '/v1/admin/dns' : `/v1/admin/groups/${enc(dnsGroup)}/dns`);
const lines = (text) => text.split('\n').map((line) => line.trim()).filter((line) => line.length > 0);

async function loadDns() {
  const { data } = await api('GET', dnsPath());
  const form = $('#dns-policy');
  form.upstreams.value = data.upstreams.join(', ');
  form.dnssec.checked = data.dnssec;
  form.searchDomains.value = data.searchDomains.join(', ');
  form.routes.value = data.routes.join(', ');
  form.blocked.value = data.blocked.join('\n');
  form.allowed.value = data.allowed.join('\n');
  form.queryLogDays.value = data.queryLogDays;
  $('#dns-reset').hidden = dnsGroup === '';
  await dns();
}

async function dns() {
  const { data } = await api('GET', dnsPath());
  $('#dns-group .state').textContent = `${dnsGroup || 'cluster default'}: ${data.inherited ? 'the cluster default' : 'its own policy'}, `
    + `upstreams in use ${data.upstreamsInUse.join(', ') || 'none (recursion from the root servers)'}, ${data.blocklistSize} imported names, stamp ${data.stamp}`;
}

// Who is logged in, and what their role may do: the console shows only what it may.
let me = null;
const ROLES = ['owner', 'admin', 'helpdesk', 'auditor', 'metrics'];
const may = (permission) => me !== null && me.permissions.includes(permission);

async function access() {
  const { data: tokens } = await api('GET', '/v1/admin/tokens');
  load('access', tokens.map((t) => row([
    t.id, t.account, t.name, t.role, when(t.expires), t.lastUsed ? when(t.lastUsed) : 'never',
    t.revoked ? 'revoked' : Date.parse(t.expires) <= Date.now() ? 'expired' : 'live',
    t.revoked ? '' : button('Revoke', () => {
      if (confirm(`Revoke token ${t.id} (${t.name})? Every Gateway refuses it at once.`)) act(`revoke ${t.id}`, 'DELETE', `/v1/admin/tokens/${enc(t.id)}`);
    }, { class: 'revoke' }),
  ], { 'data-token': t.id })), '#tokens');
  $('#accounts-panel').hidden = !may('ManageAccounts');
  if (!may('ManageAccounts')) return;
  const { data: accounts } = await api('GET', '/v1/admin/accounts');
  load('access', accounts.map((a) => row([
    a.name, a.role, a.person ? 'person' : 'service', a.totp ? 'set up' : '', when(a.created),
    buttons(
      button('Role', () => {
        const role = prompt(`New role of ${a.name} (${ROLES.join(', ')}); their console logins end:`, a.role);
        if (role) act(`role of ${a.name}`, 'PUT', `/v1/admin/accounts/${enc(a.name)}/role`, { role });
      }),
      a.person ? button('Set password', () => {
        const password = prompt(`New password for ${a.name} (8 or more characters); their console logins end:`);
        if (password) act(`password of ${a.name}`, 'PUT', `/v1/admin/accounts/${enc(a.name)}/password`, { password });
      }) : '',
      a.totp ? button('Reset TOTP', () => act(`TOTP of ${a.name}`, 'DELETE', `/v1/admin/accounts/${enc(a.name)}/totp`)) : '',
      button('Delete', () => {
        if (confirm(`Delete ${a.name}? Their tokens and logins end at once.`)) act(`delete ${a.name}`, 'DELETE', `/v1/admin/accounts/${enc(a.name)}`);
      }, { class: 'delete' })),
  ], { 'data-account': a.name })), '#accounts');
}

// Asked for with the first refresh, and again until it is answered, like the antiforgery token.
async function whoAmI() {
  if (me !== null) return;
  me = (await send('GET', '/v1/admin/me')).data;
  $('#me').textContent = `${me.account} (${me.role})`;
  for (const link of document.querySelectorAll('nav a[data-tab]')) link.hidden = !may(needs[link.dataset.tab]);
  $('#dashboard-link').hidden = !may('ReadDashboard');
  $('#create-user').hidden = !may('ManageUsers');
  $('#group-login').hidden = !may('ManageServers');
  $('#add-server').hidden = !may('ManageServers');
  for (const select of document.querySelectorAll('#create-token select, #create-account select')) {
    select.replaceChildren(...ROLES.map((role) => el('option', role, { value: role })));
    select.value = select.closest('#create-token') ? me.role : 'helpdesk';
  }
  if (!may(needs[tab])) show(tab);
}

const views = { servers, users, sessions, dns, audit, access };
// The permission each tab needs.
const needs = { servers: 'ReadServers', users: 'ReadUsers', sessions: 'ReadUsers', dns: 'ReadServers', audit: 'ReadAudit', access: 'ManageOwnAccount' };
let refreshing = null;

async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      await whoAmI();
      await views[tab]();
      $('#updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
      if (refreshFailed) say('');
    } catch (error) {
      say(error.message, true);
      refreshFailed = true;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function show(name) {
  const allowed = Object.keys(views).filter((view) => me === null || may(needs[view]));
  tab = allowed.includes(name) ? name : allowed[0] ?? 'access';
  for (const section of document.querySelectorAll('body > section')) section.hidden = section.id !== tab;
  for (const link of document.querySelectorAll('nav a[data-tab]')) link.classList.toggle('active', link.dataset.tab === tab);
  if (tab === 'dns') loadDns().catch((error) => say(error.message, true));
  refresh();
}

function start() {
  $('#create-token').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const expires = new Date(Date.now() + Number(form.days.value) * 86400000).toISOString();
    try {
      const { data } = await api('POST', '/v1/admin/tokens', { name: form.name.value.trim(), role: form.role.value, expires });
      $('#new-token code').textContent = data.token;
      $('#new-token').hidden = false;
      say(`token ${data.about.id}: made`);
      form.reset();
    } catch (error) {
      say(`token: ${error.message}`, true);
    }
    await refresh();
  });
  $('#own-password').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    try {
      await api('PUT', '/v1/admin/me/password', { currentPassword: form.currentPassword.value, password: form.password.value });
      // The change ends every login of the account, this one too.
      location.assign('/admin/login');
    } catch (error) {
      say(`password: ${error.message}`, true);
    }
  });
  $('#create-account').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const name = form.name.value.trim();
    await act(`account ${name}`, 'POST', '/v1/admin/accounts', { name, role: form.role.value, password: form.password.value || null });
    if (!$('#message').classList.contains('error')) form.reset();
  });
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  for (const filter of document.querySelectorAll('.filter')) {
    filter.addEventListener('input', () => { offsets[filter.closest('section').id] = 0; refresh(); });
  }
  $('#audit-filter').addEventListener('input', () => refresh());
  $('#dns-group').addEventListener('submit', async (event) => {
    event.preventDefault();
    dnsGroup = event.target.group.value.trim();
    await loadDns().catch((error) => say(error.message, true));
  });
  $('#dns-policy').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    await act(`DNS policy of ${dnsGroup || 'the cluster default'}`, 'PUT', dnsPath(), {
      upstreams: list(form.upstreams.value), dnssec: form.dnssec.checked, searchDomains: list(form.searchDomains.value),
      routes: list(form.routes.value), blocked: lines(form.blocked.value), allowed: lines(form.allowed.value),
      queryLogDays: whole(form.queryLogDays.value),
    });
  });
  $('#dns-reset').addEventListener('click', async () => {
    await act(`DNS policy of ${dnsGroup}`, 'DELETE', dnsPath());
    await loadDns().catch((error) => say(error.message, true));
  });
  $('#dns-policy').blocklist.addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    try {
      await antiforgeryToken();
      const response = await fetch(`${dnsPath()}/blocklist`, {
        method: 'PUT', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'text/plain' }, body: await file.text(),
      });
      const problem = response.ok ? null : await response.json().catch(() => ({}));
      say(response.ok ? `blocklist of ${dnsGroup || 'the cluster default'}: done`
        : `blocklist: ${problem.detail || problem.title}${problem.errors ? ` (${Object.values(problem.errors).flat().join('; ')})` : ''}`, !response.ok);
    } finally {
      event.target.value = '';
    }
    await refresh();
  });
  $('#audit-filter').addEventListener('submit', (event) => event.preventDefault());
  // A server is listed once its node has registered: its join token comes with its making.
  $('#add-server').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const id = form.server.value.trim();
    try {
      await api('PUT', `/v1/admin/servers/${enc(id)}`, {
        publicAddress: form.publicAddress.value.trim(), capacity: whole(form.capacity.value), group: form.group.value.trim() || null });
      form.reset();
      await joinToken(id);
    } catch (error) {
      say(`add ${id}: ${error.message}`, true);
    }
  });
  $('#group-login').group.addEventListener('change', async (event) => {
    loginGroup = event.target.value.trim();
    await groupLogin().catch((error) => say(error.message, true));
  });
  $('#group-login').addEventListener('submit', (event) => event.preventDefault());
  for (const policy of ['mfa', 'sso']) {
    $(`#group-login .require-${policy}`).addEventListener('click', () => setGroupLogin(policy, true));
    $(`#group-login .release-${policy}`).addEventListener('click', () => setGroupLogin(policy, false));
  }
  $('#create-user').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const username = form.username.value.trim();
    await act(`create ${username}`, 'POST', '/v1/admin/users', { username, password: form.password.value });
    if (!$('#message').classList.contains('error')) form.reset();
  });
  $('#logout').addEventListener('click', async () => {
    await fetch('/admin/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': await antiforgeryToken() } });
    location.assign('/admin/login');
  });
  show(location.hash.slice(1));
  setInterval(refresh, REFRESH_MS);
}

start();
