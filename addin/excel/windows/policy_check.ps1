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
# RemoteSigned by Group Policy: a kit from e-mail or the web (its files marked as from the
# Internet) would be refused. Unblock the kit's own files ($env:PREVAL_KIT, set by the .bat).
$kit = $env:PREVAL_KIT
if ((@("$machine", "$user") -contains "RemoteSigned") -and $kit -and (Test-Path -LiteralPath $kit)) {
    $marked = @(Get-ChildItem -LiteralPath $kit -Recurse -File | Where-Object {
        Get-Item -LiteralPath $_.FullName -Stream Zone.Identifier -ErrorAction SilentlyContinue })
    if ($marked.Count -gt 0) {
        try {
            $marked | Unblock-File -ErrorAction Stop
            Write-Host "已解除安装包中 $($marked.Count) 个文件的「来自其他计算机」标记（组策略要求远程脚本须签名）。"
        } catch {
            Write-Host "无法运行安装程序：安装包文件带有「来自其他计算机」标记，组策略要求这样的脚本须签名，解除标记失败：$($_.Exception.Message)" -ForegroundColor Red
            Write-Host "请右键安装包的 zip 文件→属性→勾选「解除锁定」后重新解压，或请信息管理员协助。"
            exit 3
        }
    }
}
exit 0
