// The strict-CSP demo page's own script (a file, never inline). Plain JavaScript, served as is
// next to the built library: the page's thank-you step and the on-demand QR code.

const form = document.getElementById('donation-form');
form?.addEventListener('submit', (event) => {
  event.preventDefault();
  const first = String(new FormData(form).get('given-name') ?? '').trim();
  const thanks = document.createElement('p');
  thanks.className = 'thanks';
  thanks.setAttribute('role', 'status');
  thanks.textContent = `Thank you${first ? `, ${first}` : ''}! This is a demo, so no payment was taken.`;
  form.replaceWith(thanks);
});

// <portal-qr> is a lazy chunk: the library's autoloader fetches it when the tag first appears.
const button = document.getElementById('show-qr');
button?.addEventListener('click', () => {
  const slot = document.getElementById('qr-slot');
  if (!slot || slot.querySelector('portal-qr')) return;
  slot.append(document.createElement('portal-qr'));
  button.hidden = true;
});
