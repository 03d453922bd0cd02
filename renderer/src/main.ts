import './lib/zodConfig';
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { useUiStore } from './stores/ui';
import './styles/main.css';

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);

// Nothing a call rejects with may take the UI down: it becomes an error toast.
const ui = useUiStore(pinia);
app.config.errorHandler = (error) => {
  console.error(error);
  ui.reportError(error);
};
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  console.error(event.reason);
  ui.reportError(event.reason);
});

app.mount('#app');
