/**
 * The demo mailbox: lists what the API's development outbox holds (GET /dev/outbox), with the links
 * in each message clickable. Built with DOM calls only; message text is never parsed as HTML.
 */
import { OutboxList, type OutboxMessage } from '../../src/api/contract.ts';

const root = document.getElementById('mailbox')!;
const api = root.dataset.api!.replace(/\/$/, '');
const list = document.getElementById('messages')!;
const status = document.getElementById('mailbox-status')!;
let shown = '';

function linkify(text: string): Node[] {
  const nodes: Node[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    nodes.push(document.createTextNode(text.slice(last, m.index)));
    const a = document.createElement('a');
    a.href = m[0];
    a.textContent = m[0].length > 90 ? `${m[0].slice(0, 87)}…` : m[0];
    nodes.push(a);
    last = m.index! + m[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function render(messages: OutboxMessage[]) {
  const key = messages.map((m) => `${m.id}:${m.status}`).join();
  if (key === shown) return;
  shown = key;
  list.replaceChildren(
    ...messages.map((m) => {
      const article = document.createElement('article');
      article.className = 'card mail';
      article.dataset.to = m.to;
      const head = document.createElement('header');
      const subject = document.createElement('strong');
      subject.textContent = m.subject ?? '(text message)';
      const meta = document.createElement('span');
      meta.className = 'note';
      meta.textContent = `to ${m.to} · ${new Date(m.createdAt).toLocaleString()} · ${m.channel} · ${m.status}`;
      head.append(subject, meta);
      const body = document.createElement('pre');
      body.append(...linkify(m.text));
      article.append(head, body);
      return article;
    }),
  );
}

async function refresh() {
  try {
    const res = await fetch(`${api}/dev/outbox`);
    const parsed = OutboxList.parse(await res.json());
    render(parsed.messages);
    status.textContent = parsed.messages.length
      ? `${parsed.messages.length} message(s)`
      : 'No mail yet. Sign up on any page and the confirmation email appears here.';
  } catch {
    status.textContent = 'Cannot reach the portal API. Is `npm start` still running?';
  }
}

await refresh();
setInterval(refresh, 2000);
