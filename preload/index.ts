import { contextBridge } from 'electron';

/** The renderer's only door to the main process. Later issues add one named method per contract entry. */
contextBridge.exposeInMainWorld('alegion', { version: 1 });
