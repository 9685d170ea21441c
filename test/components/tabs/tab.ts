// One "tab" of test/components/tabs.test.ts: a page with a provider, a login and a purchaser form.
import '../../../src/components/login/login.js';
import '../../../src/components/provider/provider.js';
import '../../../src/components/purchaser-autofill/purchaser-autofill.js';

const api = new URLSearchParams(location.search).get('api') ?? '';
const provider = document.createElement('portal-provider');
provider.setAttribute('api', api);
provider.setAttribute('org', 'riverside-arts');
provider.innerHTML = `<portal-login></portal-login>
  <purchaser-autofill><form><label for="e">Email</label><input id="e" name="e" autocomplete="email"></form></purchaser-autofill>`;
document.body.append(provider);
