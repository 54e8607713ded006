// Loopback-only OpenID Connect provider for OrleansWg integration tests.
// Built on oidc-provider 9.x (pinned in package.json). Plain HTTP on 127.0.0.1 only.
//
// Environment:
//   OIDC_STATE_FILE   (required) JSON { users: [...], clients: [...] }, re-read on every
//                     client lookup / account lookup / login, so a test can rewrite it.
//   OIDC_PORT         port on 127.0.0.1 (default 0 = pick a free port; the ready line says which)
//   OIDC_HOST         bind address, must be in 127.0.0.0/8 (default 127.0.0.1)
//   OIDC_ISSUER       default http://<OIDC_HOST>:<port>
//   OIDC_JWKS_FILE    optional; loaded if it exists, else generated RS256 key is written there
//   OIDC_AUTO_CONSENT "1" = skip the consent page (default "0": one "Continue" button)
//   OIDC_PKCE_REQUIRED "1" (default) = PKCE S256 required for every auth-code client
//   OIDC_ACCESS_TOKEN_TTL / OIDC_ID_TOKEN_TTL / OIDC_REFRESH_TOKEN_TTL / OIDC_DEVICE_CODE_TTL (seconds)
//   OIDC_DEBUG        "1" = log each request and grant errors to stderr
//
// stdout: exactly one line "ready <issuer>" once listening. SIGTERM/SIGINT: clean exit 0.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import Provider, { interactionPolicy } from 'oidc-provider';

const env = process.env;
const debug = env.OIDC_DEBUG === '1';
const log = (...a) => { if (debug) console.error('[oidc]', ...a); };

const STATE_FILE = env.OIDC_STATE_FILE;
if (!STATE_FILE) { console.error('OIDC_STATE_FILE is required'); process.exit(2); }
const HOST = env.OIDC_HOST || '127.0.0.1';
if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(HOST)) { console.error(`OIDC_HOST must be a 127.0.0.0/8 address, got ${HOST}`); process.exit(2); }
const PORT = Number(env.OIDC_PORT || 0);
const AUTO_CONSENT = env.OIDC_AUTO_CONSENT === '1';
const PKCE_REQUIRED = (env.OIDC_PKCE_REQUIRED ?? '1') === '1';
const ttl = (name, dflt) => { const v = Number(env[name]); return Number.isSafeInteger(v) && v > 0 ? v : dflt; };

// ---------- state file (users + clients), re-read every time ----------
function readState() {
  const raw = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  return { users: raw.users ?? [], clients: raw.clients ?? [] };
}
const findUserBySub = (sub) => readState().users.find((u) => u.sub === sub);
const findUserByName = (name) => readState().users.find((u) => u.username === name);

function clientMetadata(c) {
  const grantTypes = c.grant_types ?? ['authorization_code', 'refresh_token'];
  const md = {
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    redirect_uris: [],
    token_endpoint_auth_method: c.client_secret ? 'client_secret_basic' : 'none',
    ...c, // anything else in the file (application_type, token_endpoint_auth_method, client_name, ...) wins
    grant_types: grantTypes,
  };
  if (!md.client_secret) delete md.client_secret;
  return md;
}

// Minimal in-memory adapter (all models) — Client comes from the state file instead.
const store = new Map(); // key -> { payload, exp }
const grantIndex = new Map(); // grantId -> Set(key)
class Adapter {
  constructor(model) { this.model = model; }
  key(id) { return `${this.model}:${id}`; }
  get(key) {
    const e = store.get(key);
    if (!e) return undefined;
    if (e.exp && e.exp < Date.now()) { store.delete(key); return undefined; }
    return e.payload;
  }
  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    const exp = expiresIn ? Date.now() + (expiresIn + 60) * 1000 : 0;
    store.set(key, { payload, exp });
    if (payload.grantId) {
      if (!grantIndex.has(payload.grantId)) grantIndex.set(payload.grantId, new Set());
      grantIndex.get(payload.grantId).add(key);
    }
    if (payload.userCode) store.set(`userCode:${payload.userCode}`, { payload: id, exp });
    if (this.model === 'Session' && payload.uid) store.set(`sessionUid:${payload.uid}`, { payload: id, exp });
  }
  async find(id) {
    if (this.model === 'Client') {
      const c = readState().clients.find((x) => x.client_id === id);
      return c ? clientMetadata(c) : undefined;
    }
    return this.get(this.key(id));
  }
  async findByUserCode(userCode) {
    const id = this.get(`userCode:${userCode}`);
    return id ? this.find(id) : undefined;
  }
  async findByUid(uid) {
    const id = this.get(`sessionUid:${uid}`);
    return id ? this.find(id) : undefined;
  }
  async consume(id) { const p = this.get(this.key(id)); if (p) p.consumed = Math.floor(Date.now() / 1000); }
  async destroy(id) { store.delete(this.key(id)); }
  async revokeByGrantId(grantId) {
    for (const key of grantIndex.get(grantId) ?? []) store.delete(key);
    grantIndex.delete(grantId);
  }
}

// ---------- keys ----------
function loadOrCreateJwks() {
  const file = env.OIDC_JWKS_FILE;
  if (file && fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  const jwks = { keys: [{ ...jwk, kid: crypto.randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' }] };
  if (file) fs.writeFileSync(file, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

// ---------- HTML (no external resources: no fonts, no CDN) ----------
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
const page = (title, body) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:sans-serif;max-width:24em;margin:2em auto}input,button{display:block;width:100%;margin:.4em 0;padding:.4em}.error{color:#b00}</style>
</head><body><h1>${esc(title)}</h1>
${body}
</body></html>`;

function loginPage(uid, clientId, error, login) {
  return page('Sign-in', `
<p>Sign in to <strong id="client">${esc(clientId)}</strong></p>
${error ? `<p class="error" id="error">${esc(error)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <input type="text" id="login" name="login" placeholder="Username" value="${esc(login)}" autofocus required>
  <input type="password" id="password" name="password" placeholder="Password" required>
  <button type="submit" id="submit" name="submit" value="login">Sign-in</button>
</form>
<p><a id="abort" href="/interaction/${esc(uid)}/abort">Cancel</a></p>`);
}

function consentPage(uid, clientId, scopes) {
  return page('Authorize', `
<p>Allow <strong id="client">${esc(clientId)}</strong> access to: <span id="scopes">${esc(scopes)}</span></p>
<form id="consent-form" method="post" action="/interaction/${esc(uid)}/confirm">
  <button type="submit" id="continue" name="continue" value="yes" autofocus>Continue</button>
</form>
<p><a id="abort" href="/interaction/${esc(uid)}/abort">Cancel</a></p>`);
}

// ---------- provider configuration ----------
// Default policy + one login check: an SSO session whose account is now disabled/deleted must log in
// again. Without it oidc-provider 9.13.3 crashes with a 500 in the consent checks (ctx.oidc.grant undefined).
function buildPolicy() {
  const policy = interactionPolicy.base();
  policy.get('login').checks.add(new interactionPolicy.Check(
    'account_unavailable', 'account disabled or removed',
    (ctx) => (ctx.oidc.session.accountId && !ctx.oidc.account
      ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT),
  ));
  return policy;
}

function buildConfiguration() {
  return {
    adapter: Adapter,
    clients: [],
    jwks: loadOrCreateJwks(),
    cookies: { keys: [env.OIDC_COOKIE_KEY || crypto.randomBytes(32).toString('hex')] },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    conformIdTokenClaims: false, // scope-granted claims go into the ID token too
    async findAccount(ctx, sub) {
      const u = findUserBySub(sub);
      if (!u || u.disabled) { log('findAccount refused', sub); return undefined; } // -> invalid_grant on refresh/device/code
      return {
        accountId: u.sub,
        async claims() {
          return {
            sub: u.sub,
            preferred_username: u.username,
            name: u.name ?? u.username,
            ...(u.email ? { email: u.email, email_verified: true } : {}),
            groups: u.groups ?? [],
          };
        },
      };
    },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        async userCodeInputSource(ctx, form, out, err) {
          let msg = '<p id="message">Enter the code displayed on your device</p>';
          if (err && (err.userCode || err.name === 'NoCodeError')) msg = '<p class="error" id="error">The code you entered is incorrect. Try again</p>';
          else if (err && err.name === 'AbortedError') msg = '<p class="error" id="error">The Sign-in request was interrupted</p>';
          else if (err) msg = '<p class="error" id="error">There was an error processing your request</p>';
          ctx.body = page('Device sign-in', `${msg}\n${form}\n<button type="submit" id="continue" form="op.deviceInputForm">Continue</button>`);
        },
        async userCodeConfirmSource(ctx, form, client, deviceInfo, userCode) {
          ctx.body = page('Confirm device', `
<p>Client <strong id="client">${esc(client.clientName || client.clientId)}</strong> requests access.</p>
<p>Code shown on the device: <code id="user-code">${esc(userCode)}</code></p>
${form}
<button type="submit" id="continue" form="op.deviceConfirmForm">Continue</button>
<button type="submit" id="abort" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`);
        },
        async successSource(ctx) {
          ctx.body = page('Sign-in success', '<p id="success">Your device sign-in was successful, you can now close this page.</p>');
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = page('Sign-out', `${form}
<button type="submit" id="logout" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button type="submit" id="stay" form="op.logoutForm">No, stay signed in</button>`);
        },
        async postLogoutSuccessSource(ctx) { ctx.body = page('Signed out', '<p id="signed-out">You are signed out.</p>'); },
      },
      revocation: { enabled: true },
      introspection: { enabled: true },
    },
    async renderError(ctx, out, error) {
      ctx.type = 'html';
      ctx.body = page('Error', Object.entries(out).map(([k, v]) => `<p class="error" data-key="${esc(k)}"><strong>${esc(k)}</strong>: ${esc(v)}</p>`).join('\n'));
    },
    pkce: { required: (ctx, client) => PKCE_REQUIRED || client.clientAuthMethod === 'none' },
    clientBasedCORS: () => false, // no browser-side (CORS) token calls in these tests
    rotateRefreshToken: true,
    // Issue a refresh token whenever offline_access was granted (default behaviour, explicit here).
    issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: {
      AccessToken: ttl('OIDC_ACCESS_TOKEN_TTL', 3600),
      AuthorizationCode: 60,
      IdToken: ttl('OIDC_ID_TOKEN_TTL', 3600),
      RefreshToken: ttl('OIDC_REFRESH_TOKEN_TTL', 14 * 24 * 3600),
      DeviceCode: ttl('OIDC_DEVICE_CODE_TTL', 600),
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    interactions: { policy: buildPolicy(), url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    responseTypes: ['code'],
  };
}

// ---------- interaction handlers (plain node:http, before the provider) ----------
async function readForm(req) {
  const chunks = []; let size = 0;
  for await (const c of req) { size += c.length; if (size > 65536) throw new Error('body too large'); chunks.push(c); }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
function sendHtml(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function finishConsent(provider, req, res, details) {
  const { prompt: { details: pd }, params, session, grantId } = details;
  const grant = grantId ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (pd.missingOIDCScope) grant.addOIDCScope(pd.missingOIDCScope.join(' '));
  if (pd.missingOIDCClaims) grant.addOIDCClaims(pd.missingOIDCClaims);
  if (pd.missingResourceScopes) for (const [ind, sc] of Object.entries(pd.missingResourceScopes)) grant.addResourceScope(ind, sc.join(' '));
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

async function handleInteraction(provider, req, res, uid, action) {
  let details;
  try { details = await provider.interactionDetails(req, res); } catch (e) {
    return sendHtml(res, 400, page('Error', `<p class="error" id="error">interaction session not found or expired (${esc(e.message)})</p>`));
  }
  if (details.uid !== uid) return sendHtml(res, 400, page('Error', '<p class="error" id="error">interaction mismatch</p>'));
  const { prompt, params } = details;

  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') return sendHtml(res, 200, loginPage(uid, params.client_id));
    if (prompt.name === 'consent') {
      if (AUTO_CONSENT) return finishConsent(provider, req, res, details);
      return sendHtml(res, 200, consentPage(uid, params.client_id, params.scope));
    }
    return sendHtml(res, 501, page('Error', `<p class="error">prompt ${esc(prompt.name)} not implemented</p>`));
  }
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'End-User aborted interaction' }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'login' && prompt.name === 'login') {
    const form = await readForm(req);
    const login = form.get('login') ?? ''; const password = form.get('password') ?? '';
    const u = findUserByName(login);
    const okPw = u && typeof u.password === 'string' && u.password.length === password.length
      && crypto.timingSafeEqual(Buffer.from(u.password), Buffer.from(password));
    if (!okPw) { log('login failed', login); return sendHtml(res, 200, loginPage(uid, params.client_id, 'Invalid username or password', login)); }
    if (u.disabled) { log('login refused (disabled)', login); return sendHtml(res, 200, loginPage(uid, params.client_id, 'Account disabled', login)); }
    log('login ok', login);
    return provider.interactionFinished(req, res, { login: { accountId: u.sub } }, { mergeWithLastSubmission: false });
  }
  if (req.method === 'POST' && action === 'confirm' && prompt.name === 'consent') {
    await readForm(req);
    return finishConsent(provider, req, res, details);
  }
  return sendHtml(res, 400, page('Error', `<p class="error" id="error">unexpected ${esc(req.method)} ${esc(action ?? '')} for prompt ${esc(prompt.name)}</p>`));
}

// ---------- server ----------
const t0 = Date.now();
let provider;
let callback;
const server = http.createServer(async (req, res) => {
  log(req.method, req.url);
  try {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/healthz') { res.writeHead(200, { 'content-type': 'text/plain' }); return res.end('ok\n'); }
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(url.pathname);
    if (m) return await handleInteraction(provider, req, res, m[1], m[2]);
    return callback(req, res);
  } catch (e) {
    console.error('[oidc] handler error', e);
    if (!res.headersSent) sendHtml(res, 500, page('Error', '<p class="error">internal error</p>'));
    else res.end();
  }
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  const issuer = env.OIDC_ISSUER || `http://${HOST}:${port}`;
  provider = new Provider(issuer, buildConfiguration());
  provider.on('server_error', (ctx, err) => console.error('[oidc] server_error', err));
  if (debug) {
    provider.on('grant.error', (ctx, err) => console.error('[oidc] grant.error', err.message, err.error_description ?? ''));
    provider.on('authorization.error', (ctx, err) => console.error('[oidc] authorization.error', err.message, err.error_description ?? ''));
  }
  callback = provider.callback();
  log(`started in ${Date.now() - t0} ms (since module start)`);
  process.stdout.write(`ready ${issuer}\n`);
});

function shutdown(sig) {
  log('shutdown on', sig);
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
