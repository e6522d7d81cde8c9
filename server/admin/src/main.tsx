// The dashboard's entry: its language (the browser's, English without a request), the API client
// on this origin, the hash router, and the app.
import { render } from 'preact';
import { createApi } from './api';
import { createApp } from './app-store';
import { App } from './components/App';
import { loadI18n } from './i18n/i18n';
import { createHashRouter } from './router';
import './page.css';
import './styles.css';

const root = document.getElementById('app');
if (root)
  void loadI18n(navigator.languages?.length ? navigator.languages : [navigator.language]).then((i18n) => {
    // The page's own language and direction too (its title, scroll bars, the browser's own UI).
    document.documentElement.lang = i18n.locale;
    document.documentElement.dir = i18n.dir;
    render(<App app={createApp({ api: createApi({ t: i18n.t }), router: createHashRouter(), i18n })} />, root);
  });
