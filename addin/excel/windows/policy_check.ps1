# Run by install.bat and uninstall.bat as -EncodedCommand, before install.ps1: the execution
# policy applies to script files, not to a command. When Group Policy enforces a policy that
# forbids unsigned scripts, "-ExecutionPolicy Bypass" cannot override it, and install.ps1
# would stop with an English error; this says what to do, in Chinese. Exit code 3: blocked.
$blocked = @("Restricted", "AllSigned")
$machine = Get-ExecutionPolicy -Scope MachinePolicy
$user = Get-ExecutionPolicy -Scope UserPolicy
if ($blocked -contains "$machine" -or $blocked -contains "$user") {
    Write-Host "无法运行安装程序：组策略禁止运行未签名的 PowerShell 脚本（计算机策略：$machine，用户策略：$user）。" -ForegroundColor Red
    Write-Host "请信息管理员为本机允许运行本地脚本（组策略「打开脚本执行」设为「允许本地脚本和远程签名的脚本」），完成安装后可恢复原设置。"
    exit 3
}
exit 0
