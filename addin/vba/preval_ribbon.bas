Attribute VB_Name = "preval_ribbon"
' Ribbon callbacks of the 绩效评价 tab (customUI14.xml). Each one only hands over to Python:
' the work, the messages and the error handling are in addin/ribbon.py, so nothing here
' can show a VBA error dialog to the user except a failure to start Python at all.
Option Explicit

Private Sub CallPreval(ByVal action As String)
    On Error GoTo failed
    RunPython "import addin.ribbon; addin.ribbon." & action & "()"
    Exit Sub
failed:
    MsgBox "无法启动 Python（" & Err.Description & "）。" & vbCrLf & _
           "请重新运行 preval 安装程序；如仍不行，请联系信息管理员。", vbExclamation, "绩效评价"
End Sub

Public Sub PrevalValidate(control As IRibbonControl)
    CallPreval "validate"
End Sub

Public Sub PrevalScore(control As IRibbonControl)
    CallPreval "score"
End Sub

Public Sub PrevalReport(control As IRibbonControl)
    CallPreval "report"
End Sub

Public Sub PrevalFinalize(control As IRibbonControl)
    CallPreval "finalize"
End Sub

Public Sub PrevalSettings(control As IRibbonControl)
    CallPreval "settings"
End Sub

Public Sub PrevalHelp(control As IRibbonControl)
    CallPreval "help"
End Sub
