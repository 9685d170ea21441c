/**
 * The demo portal home: once signed in, shows personal information and the modules the portal's
 * tier offers (Advanced: memberships, events, donations, invoices, …; Basic: invoices, auctions,
 * peer-to-peer). Reads the page's shared session store; renders with DOM calls only.
 */
import type { Membership, PortalModule, Profile } from '../../src/api/contract.ts';
import { getSessionStore } from '../../src/session/store.ts';

const provider = document.getElementById('provider')!;
const store = getSessionStore(provider.getAttribute('api')!, provider.getAttribute('org')!);
const signedOut = document.getElementById('signed-out')!;
const account = document.getElementById('account')!;

const MODULE_TITLES: Record<PortalModule, string> = {
  memberships: 'Memberships',
  events: 'Events',
  donations: 'Donations',
  invoices: 'Invoices',
  auctions: 'Online auctions',
  peer_to_peer: 'Peer-to-peer campaigns',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function membershipList(memberships: readonly Membership[]) {
  if (!memberships.length) return el('p', 'No memberships on your record yet.', 'note');
  const ul = el('ul');
  for (const m of memberships) {
    const li = el('li');
    li.append(
      `${m.name} `,
      el('span', m.status === 'current' ? 'Current' : 'Expired', 'badge'),
      el('br'),
      el('span', `${m.startsOn} – ${m.endsOn}`, 'note'),
    );
    ul.append(li);
  }
  return ul;
}

function render(profile: Profile | undefined) {
  signedOut.hidden = Boolean(profile);
  account.hidden = !profile;
  if (!profile) return;
  const c = profile.constituent;
  const a = c.address;
  const rows: Array<[string, string]> = [
    ['Name', `${c.firstName} ${c.lastName}`.trim()],
    ...(c.companyName ? ([['Company', c.companyName]] as Array<[string, string]>) : []),
    ['Email', c.email],
    ['Phone', c.phone ?? '—'],
    ['Address', [a.line1, a.line2, [a.city, a.region, a.postalCode].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ') || '—'],
  ];
  document.getElementById('personal')!.replaceChildren(...rows.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  document.getElementById('tier')!.textContent =
    profile.portal.tier === 'advanced' ? 'Advanced Portal' : 'Basic Portal: personal information plus the modules below';
  const modules = document.getElementById('modules')!;
  modules.replaceChildren(
    ...profile.portal.modules.map((m) => {
      const card = el('section', undefined, 'card');
      card.dataset.module = m;
      card.append(el('h3', MODULE_TITLES[m]));
      if (m === 'memberships') card.append(membershipList(profile.memberships));
      else card.append(el('p', 'Nothing here yet.', 'note'));
      return card;
    }),
  );
  for (const company of profile.companies) {
    const card = el('section', undefined, 'card');
    card.append(el('h3', `${company.companyName} (company you manage)`), membershipList(company.memberships));
    modules.append(card);
  }
}

render(store.snapshot.profile);
store.addEventListener('change', () => render(store.snapshot.profile));
