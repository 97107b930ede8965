/** Values every module speaks: typed ids, money, errors. No beans with state. */
@org.springframework.modulith.ApplicationModule(type = org.springframework.modulith.ApplicationModule.Type.OPEN)
package com.voiceledger.shared;
