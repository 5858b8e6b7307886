'use strict';
// The dashboard's login is NITRO's: the answer sets the SameSite=Strict session cookie, then the page loads.
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = document.getElementById('message');
  message.textContent = '';
  const body = JSON.stringify({ login: { username: document.getElementById('username').value, password: document.getElementById('password').value } });
  try {
    const r = await fetch('/nitro/v1/config/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, credentials: 'same-origin' });
    if (r.status === 201) {
      location.assign('/gui/');
      return;
    }
    const answer = await r.json();
    message.textContent = answer.message || ('Login failed (' + r.status + ')');
  } catch (e) {
    message.textContent = 'Portico cannot be reached: ' + e.message;
  }
});
