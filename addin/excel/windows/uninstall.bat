@echo off
rem preval uninstaller: removes the add-in from XLSTART and the private Python environment.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" -Uninstall %*
pause
