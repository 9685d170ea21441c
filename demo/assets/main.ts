/**
 * The demo site's own script: loads the library (one import, as a real page would with one
 * `<script type="module">`), draws the site navigation, and stands in for the payment step.
 */
import '../../src/index.ts';

const pages = [
  ['donate.html', 'Donate'],
  ['membership.html', 'Membership'],
  ['event.html', 'Events'],
  ['portal.html', 'My portal'],
  ['plain.html', 'Plain HTML'],
  ['mailbox.html', 'Mailbox (demo)'],
  ['admin.html', 'Staff admin'],
] as const;

const header = document.querySelector<HTMLElement>('header.site-header');
if (header) {
  const here = location.pathname.split('/').pop() || 'donate.html';
  const inner = document.createElement('div');
  inner.className = 'inner';
  const logo = document.createElement('a');
  logo.className = 'logo';
  logo.href = 'donate.html';
  logo.append('Riverside ');
  const span = document.createElement('span');
  span.textContent = 'Arts';
  logo.append(span, ' Association');
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Site');
  const ul = document.createElement('ul');
  for (const [href, label] of pages) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = href;
    a.textContent = label;
    if (href === here) a.setAttribute('aria-current', 'page');
    li.append(a);
    ul.append(li);
  }
  nav.append(ul);
  inner.append(logo, nav);
  header.append(inner);
}

// The organization's own checkout would take payment here; the demo only says thank you.
for (const form of document.querySelectorAll<HTMLFormElement>('form.host-form')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const first = String(data.get(form.dataset.firstField ?? 'first_name') ?? '').trim();
    const thanks = document.createElement('p');
    thanks.className = 'thanks';
    thanks.setAttribute('role', 'status');
    thanks.textContent = `Thank you${first ? `, ${first}` : ''}! This is a demo, so no payment was taken.`;
    form.replaceWith(thanks);
  });
}
