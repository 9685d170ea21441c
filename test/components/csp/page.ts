// The strict-CSP host page's one script: the library, as a real page loads it.
import './listen.js';
import '../../../src/index.js';
