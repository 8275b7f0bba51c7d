// The event browser: plain DOM, no build step. Every call to /api carries the key the user signed
// in with; the page itself holds no data. Text from the store is always set as textContent.
'use strict';

const KEY = 'pg-eventstore.key';
const $ = id => document.getElementById(id);

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : 'HTTP ' + status);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * JSON.parse that keeps a whole number too large for a double (a 64-bit id) with all its digits,
 * as raw JSON, where the browser can. Such a value shows through text(), never in arithmetic.
 */
function parse(text) {
  return JSON.parse(text, (name, value, context) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context && /^-?\d+$/.test(context.source)
      && JSON.rawJSON ? JSON.rawJSON(context.source) : value);
}

/** A value as text; raw JSON numbers as written. */
function text(value) {
  if (value == null) return '';
  return typeof value === 'object' && 'rawJSON' in value ? value.rawJSON : String(value);
}

function key() {
  return sessionStorage.getItem(KEY);
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { 'Authorization': 'Bearer ' + key(), 'Accept': 'application/json', ...(options.headers || {}) }
  });
  const raw = await response.text();
  let body = null;
  try { body = raw ? parse(raw) : null; } catch (e) { body = null; }
  if (!response.ok) {
    const error = new ApiError(response.status, body);
    if (response.status === 401) {
      signOut();
      show(refusedKey(error));
    }
    throw error;
  }
  return body;
}

function refusedKey(error) {
  return 'The service refused this key (401 Unauthorized): it is unknown, revoked or mistyped. '
    + 'Sign in again with a valid key.' + (error.problem && error.problem.detail ? ' (' + error.problem.detail + ')' : '');
}

/** A 403 in words: which role or category the key lacks. */
function forbidden(error, what) {
  const problem = error.problem || {};
  let lacks = '';
  if (problem.missingRoles) lacks = ' It lacks the role ' + [].concat(problem.missingRoles).join(' or ') + '.';
  if (problem.missingCategory) lacks = ' It may not use category ' + problem.missingCategory + '.';
  return 'Not allowed (403 Forbidden): this key may not ' + what + '.' + lacks;
}

function show(message) {
  $('message').textContent = message;
  $('message').hidden = !message;
}

function failed(error, what) {
  if (error.status === 401) return;
  show(error.status === 403 ? forbidden(error, what) : 'Could not ' + what + ': ' + error.message);
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value; else node.setAttribute(name, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(text(child)));
  }
  return node;
}

function pretty(value) {
  return JSON.stringify(value, null, 2);
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '';
}

// Signing in and out

async function signIn(event) {
  event.preventDefault();
  const given = $('key').value.trim();
  if (!given) {
    show('Paste an API key first.');
    return;
  }
  sessionStorage.setItem(KEY, given);
  $('key').value = '';
  show('');
  try {
    await api('/api/streams?limit=1');
  } catch (error) {
    if (error.status === 403) {
      show(forbidden(error, 'read streams') + ' Views that need it stay empty.');
    } else if (error.status !== 401) {
      show('Could not reach the service: ' + error.message);
    }
    if (error.status === 401) return;
  }
  signedIn();
}

function signedIn() {
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('sign-out').hidden = false;
  select('streams');
}

function signOut() {
  stopLive();
  sessionStorage.removeItem(KEY);
  $('sign-in').hidden = false;
  $('nav').hidden = true;
  $('sign-out').hidden = true;
  for (const view of document.querySelectorAll('.view')) view.hidden = true;
  for (const id of ['streams', 'events', 'live-events', 'projections', 'stats']) $(id).replaceChildren();
  $('stream-head').replaceChildren(element('p', { class: 'hint' }, 'Pick a stream to see its events.'));
  show('');
}

function select(view) {
  for (const button of document.querySelectorAll('#nav button')) {
    button.classList.toggle('active', button.dataset.view === view);
  }
  for (const section of document.querySelectorAll('.view')) section.hidden = section.id !== 'view-' + view;
  show('');
  if (view === 'streams' && !$('streams').children.length) listStreams();
  if (view === 'projections') loadProjections();
  if (view === 'stats') loadStats();
}

// Streams by category

let streamsNext = null;
let lastCategory = null;

async function listStreams(more = false) {
  const category = $('category').value.trim();
  const query = new URLSearchParams({ limit: '100' });
  if (category) query.set('category', category);
  if (more && streamsNext) query.set('after', streamsNext);
  try {
    const page = await api('/api/streams?' + query);
    if (!more) {
      $('streams').replaceChildren();
      lastCategory = null;
    }
    for (const stream of page.streams) {
      if (stream.category !== lastCategory) {
        lastCategory = stream.category;
        $('streams').append(element('tr', {}, element('td', { class: 'category', colspan: '4' }, stream.category)));
      }
      const row = element('tr', { class: 'stream', 'data-stream': stream.streamId },
        element('td', {}, stream.streamId), element('td', {}, stream.version),
        element('td', {}, stream.lastPosition), element('td', {}, when(stream.updatedAt)));
      row.addEventListener('click', () => openStream(stream.streamId));
      $('streams').append(row);
    }
    if (!more && !page.streams.length) {
      $('streams').append(element('tr', {}, element('td', { colspan: '4', class: 'hint' }, 'No streams.')));
    }
    streamsNext = page.next;
    $('more-streams').hidden = !page.next;
  } catch (error) {
    failed(error, 'list streams');
  }
}

// One stream's events

let openedStream = null;
let eventsFrom = 1;

function orderId(streamId) {
  return streamId.startsWith('order-') ? streamId.substring('order-'.length) : null;
}

async function openStream(streamId, more = false) {
  if (!more) {
    openedStream = streamId;
    eventsFrom = 1;
    $('events').replaceChildren();
    for (const row of document.querySelectorAll('tr.stream')) {
      row.classList.toggle('selected', row.dataset.stream === streamId);
    }
    $('stream-shape').hidden = orderId(streamId) === null;
    if ($('stream-shape').hidden) document.querySelector('input[name=shape][value=stored]').checked = true;
  }
  const upcast = document.querySelector('input[name=shape]:checked').value === 'upcast' && orderId(streamId);
  try {
    // Orders are read in their current shape through the order API; it answers the whole history.
    const slice = upcast
      ? await api('/api/orders/' + encodeURIComponent(orderId(streamId)) + '/events')
      : await api('/api/streams/' + encodeURIComponent(streamId) + '?limit=100&fromVersion=' + eventsFrom);
    if (openedStream !== streamId) return;
    $('stream-head').replaceChildren(element('h2', {}, slice.streamId + ' ',
      element('span', { class: 'hint' }, 'version ' + text(slice.version) + (upcast ? ', upcast' : ', as stored'))));
    for (const event of slice.events) $('events').append(eventItem(event));
    const last = slice.events.length ? slice.events[slice.events.length - 1].version : slice.version;
    eventsFrom = last + 1;
    $('more-events').hidden = upcast || last >= slice.version;
  } catch (error) {
    failed(error, 'read stream ' + streamId);
  }
}

function eventItem(event) {
  return element('li', { 'data-event': event.eventId },
    element('div', { class: 'event-head' },
      element('strong', { class: 'type' }, event.type),
      element('span', {}, event.streamId + ' v' + text(event.version)),
      element('span', {}, 'position ' + text(event.position)),
      element('span', {}, 'schema ' + event.schemaVersion),
      element('span', {}, when(event.occurredAt)),
      element('span', {}, event.eventId)),
    element('div', { class: 'event-body' },
      element('div', {}, element('h3', {}, 'data'), element('pre', { class: 'data' }, pretty(event.data))),
      element('div', {}, element('h3', {}, 'metadata'), element('pre', { class: 'metadata' }, pretty(event.metadata)))));
}

// The live feed: EventSource cannot send Authorization, so the stream is read with fetch.

let live = null;

/** The position of the feed's last event: the live feed shows what comes after it. */
async function feedEnd(category) {
  let after = 0;
  for (;;) {
    const query = new URLSearchParams({ after: text(after), limit: '1000' });
    if (category) query.set('category', category);
    const page = await api('/api/events?' + query);
    if (!page.events.length) return after;
    after = page.next;
  }
}

async function startLive() {
  const category = $('live-category').value.trim();
  const controller = new AbortController();
  live = controller;
  $('live-toggle').textContent = 'Stop';
  $('live-status').textContent = 'connecting';
  try {
    const after = await feedEnd(category);
    const query = new URLSearchParams({ after: text(after) });
    if (category) query.set('category', category);
    const response = await fetch('/api/events/stream?' + query, {
      headers: { 'Authorization': 'Bearer ' + key(), 'Accept': 'text/event-stream' },
      signal: controller.signal
    });
    if (!response.ok) {
      let problem = null;
      try { problem = await response.json(); } catch (e) { problem = null; }
      throw new ApiError(response.status, problem);
    }
    $('live-status').textContent = 'live after position ' + text(after);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        message(buffer.substring(0, end));
        buffer = buffer.substring(end + 2);
      }
    }
    if (live === controller) $('live-status').textContent = 'the stream ended; start it again to go on';
  } catch (error) {
    if (controller.signal.aborted) return;
    $('live-status').textContent = 'stopped';
    if (error.status === 401) {
      signOut();
      show(refusedKey(error));
    } else {
      failed(error, 'follow the feed');
    }
  } finally {
    if (live === controller) {
      live = null;
      $('live-toggle').textContent = 'Start';
    }
  }
}

/** One Server-Sent Events message; comments (the keep-alives) carry no data. */
function message(text) {
  const data = text.split('\n').filter(line => line.startsWith('data:'))
    .map(line => line.substring(5).replace(/^ /, '')).join('\n');
  if (!data) return;
  const list = $('live-events');
  list.prepend(eventItem(parse(data)));
  while (list.children.length > 200) list.lastChild.remove();
}

function stopLive() {
  if (live) {
    live.abort();
    live = null;
  }
  $('live-toggle').textContent = 'Start';
  $('live-status').textContent = 'stopped';
}

// Projections (reading them needs the read role, a rebuild admin) and statistics (admin)

function adminNote(note, error, what = 'this view') {
  if (error.status === 403) {
    note.textContent = 'This key lacks the admin role, which ' + what + ' needs. Sign in with an admin key for it.';
    note.hidden = false;
  } else {
    failed(error, 'load ' + what);
  }
}

async function loadProjections() {
  const note = $('projections-note');
  note.hidden = true;
  try {
    const projections = await api('/api/projections');
    $('projections').replaceChildren(...projections.map(projectionRow));
  } catch (error) {
    $('projections').replaceChildren();
    adminNote(note, error);
  }
}

function projectionRow(projection) {
  const rebuild = element('button', { type: 'button', class: 'rebuild' }, 'Rebuild');
  rebuild.addEventListener('click', () => rebuildProjection(projection.name));
  const rebuildState = projection.rebuild
    ? projection.rebuild.status + ' at ' + text(projection.rebuild.position) + (projection.rebuild.error ? ': ' + projection.rebuild.error : '')
    : '';
  const parked = element('td', {}, projection.parkedStreams);
  if (projection.parkedStreams > 0) {
    const link = element('button', { type: 'button' }, 'show');
    link.addEventListener('click', async () => {
      try {
        const streams = await api('/api/projections/' + encodeURIComponent(projection.name) + '/parked');
        link.replaceWith(element('pre', {}, pretty(streams)));
      } catch (error) {
        failed(error, 'list the parked streams');
      }
    });
    parked.append(' ', link);
  }
  return element('tr', { 'data-projection': projection.name },
    element('td', {}, projection.name),
    element('td', {}, projection.status + (projection.lastError ? ': ' + projection.lastError : '')),
    element('td', {}, projection.position), element('td', {}, projection.lag),
    element('td', {}, projection.lagSeconds), parked, element('td', {}, projection.runner),
    element('td', {}, rebuildState), element('td', {}, rebuild));
}

async function rebuildProjection(name) {
  if (!confirm('Rebuild projection ' + name + ' from the start of the feed? The service keeps serving meanwhile.')) return;
  try {
    await api('/api/projections/' + encodeURIComponent(name) + '/rebuild', { method: 'POST' });
    show('');
  } catch (error) {
    if (error.status === 409) show('A rebuild of ' + name + ' is already running.');
    else if (error.status === 403) {
      adminNote($('projections-note'), error, 'a rebuild');
      return;
    } else failed(error, 'rebuild ' + name);
  }
  loadProjections();
}

function table(headings, rows) {
  return element('table', { class: 'list' },
    element('thead', {}, element('tr', {}, ...headings.map(h => element('th', {}, h)))),
    element('tbody', {}, ...rows.map(cells => element('tr', {}, ...cells.map(c => element('td', {}, c))))));
}

async function loadStats() {
  const note = $('stats-note');
  note.hidden = true;
  try {
    const stats = await api('/api/admin/stats');
    $('stats').replaceChildren(
      element('div', { class: 'figures' },
        element('div', {}, element('strong', { id: 'stats-events' }, stats.events), 'events'),
        element('div', {}, element('strong', { id: 'stats-streams' }, stats.streams), 'streams'),
        element('div', {}, element('strong', {}, Math.round(stats.snapshots.coverage * 100) + ' %'), 'streams with a snapshot')),
      element('h3', {}, 'Categories'),
      table(['Category', 'Streams', 'Events', 'Snapshots', 'Coverage'], stats.categories.map(c =>
        [c.category, c.streams, c.events, c.snapshots, Math.round(c.snapshotCoverage * 100) + ' %'])),
      element('h3', {}, 'Events by type'),
      table(['Type', 'Events'], Object.entries(stats.eventsByType)),
      element('h3', {}, 'Largest streams'),
      table(['Stream', 'Version'], stats.largestStreams.map(s => [s.streamId, s.version])),
      element('h3', {}, 'Feed'), element('pre', {}, pretty(stats.feed)),
      element('h3', {}, 'Replica'), element('pre', {}, stats.replica ? pretty(stats.replica) : 'none configured'),
      element('h3', {}, 'Relay'), element('pre', {}, stats.relay ? pretty(stats.relay) : 'none configured'));
  } catch (error) {
    $('stats').replaceChildren();
    adminNote(note, error);
  }
}

// Wiring

$('sign-in-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', signOut);
for (const button of document.querySelectorAll('#nav button')) {
  button.addEventListener('click', () => select(button.dataset.view));
}
$('stream-filter').addEventListener('submit', event => {
  event.preventDefault();
  streamsNext = null;
  listStreams();
});
$('more-streams').addEventListener('click', () => listStreams(true));
$('more-events').addEventListener('click', () => openStream(openedStream, true));
for (const radio of document.querySelectorAll('input[name=shape]')) {
  radio.addEventListener('change', () => openedStream && openStream(openedStream));
}
$('live-toggle').addEventListener('click', () => (live ? stopLive() : startLive()));
$('projections-refresh').addEventListener('click', loadProjections);
$('stats-refresh').addEventListener('click', loadStats);

if (key()) signedIn();
