/**
 * The preload script (sandboxed: it may only require 'electron'). Everything else it
 * needs is bundled into dist/preload/preload.cjs by esbuild.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { exposeApi } from './expose.js';

exposeApi(contextBridge, ipcRenderer);
