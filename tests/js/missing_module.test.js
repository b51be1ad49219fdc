// @exit 1
// @stderr-has cannot read
// @stderr-has no_such_module.js
import './no_such_module.js';
