// The second run on the same state directory: the first run's items are there.
import { eq } from '../../js/assert.js';

eq(localStorage.getItem('greeting'), 'hello from the first run', 'kept across runs');
const boots = Number(localStorage.getItem('boots')) + 1;
localStorage.setItem('boots', String(boots));
eq(localStorage.length, 2, 'length');
console.log(`localStorage persist ok boots=${boots}`);
