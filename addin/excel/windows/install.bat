@echo off
rem preval installer: double-click to install or update. Arguments are passed on
rem (for example: install.bat -DryRun). ExecutionPolicy Bypass applies to this run only.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
pause
