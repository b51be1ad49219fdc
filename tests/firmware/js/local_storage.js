// localStorage on the device: the items live in the flash store, so they
// survive a reboot (tests/firmware/local_storage_test.py boots this bundle 3
// times on one flash state: mcujs qemu --flash-state).
const boots = Number(localStorage.getItem('boots') || '0') + 1;
console.log(`localStorage boot ${boots}: greeting=${localStorage.getItem('greeting')} length=${localStorage.length}`);
localStorage.setItem('boots', String(boots));
if (boots === 1) {
  localStorage.setItem('greeting', 'kept in flash');
  try {
    localStorage.setItem('big', 'x'.repeat(3000));
  } catch (e) {
    console.log(`quota: ${e.name} code ${e.code}`);
  }
}
