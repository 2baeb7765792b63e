Attribute VB_Name = "preval_ribbon"
' Ribbon callbacks of the preval tab (customUI14.xml). Each one only hands over to Python:
' the work, the messages and the error handling are in addin/ribbon.py, so the only dialog
' VBA itself can show is "no workbook open" or "Python did not start".
' ASCII only: the Chinese texts are cells of the add-in's sheet (see preval_addin.bas).
Option Explicit

Private Sub CallPreval(ByVal action As String)
    If ActiveWorkbook Is Nothing Then
        MsgBox PrevalText("no_workbook"), vbInformation, PrevalText("title")
        Exit Sub
    End If
    On Error GoTo failed
    RunPython "import addin.ribbon; addin.ribbon." & action & "()"
    Exit Sub
failed:
    MsgBox PrevalText("python_failed") & vbCrLf & "(" & Err.Description & ")", vbExclamation, PrevalText("title")
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
