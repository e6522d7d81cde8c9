// The dashboard's entry: the API client on this origin, the hash router, and the app.
import { render } from 'preact';
import { createApi } from './api';
import { createApp } from './app-store';
import { App } from './components/App';
import { createHashRouter } from './router';
import './page.css';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App app={createApp({ api: createApi(), router: createHashRouter() })} />, root);
